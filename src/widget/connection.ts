/**
 * The chat socket. It says hello on every (re)connect, hands each valid
 * server frame on, and reconnects by itself after any close, with backoff —
 * never sooner than the server asked when it refused a new session.
 * It pings every 25 s: proxies drop idle sockets, and a socket that stays
 * silent for a whole ping interval is dead even if the browser hasn't noticed.
 */
import type { ClientFrame, ServerFrame } from '../bot/channels/web/protocol.js';
import { reconnectDelay } from './backoff.js';
import { parseServerFrame } from './server-frame.js';

export const PING_MS = 25_000;
/** protocol.ts's CLOSE.forbiddenOrigin, restated: the widget imports only types from the server. */
const CLOSE_FORBIDDEN_ORIGIN = 4403;

export interface ConnectionEvents {
  /** Builds the hello for each connect, so it carries the latest token, seq and identity. */
  hello(): ClientFrame;
  frame(frame: ServerFrame): void;
  /** The socket is gone and a reconnect is scheduled. */
  down(): void;
  /** The server will never take this page (its origin is not allowed): no more reconnects. */
  refused(): void;
}

export class Connection {
  private socket: WebSocket | null = null;
  private welcomed = false;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private heard = false;
  /** Seconds the server asked this widget to stay away (TOO_MANY_SESSIONS), for the next reconnect only. */
  private retryAfter: number | undefined;

  constructor(
    private readonly url: string,
    private readonly events: ConnectionEvents,
  ) {
    // Back online: no reason to sit out the rest of a long backoff.
    window.addEventListener('online', () => this.reconnectNow());
  }

  /** Connects, unless it already has (or is waiting to retry). */
  start(): void {
    if (this.socket === null && this.retry === undefined) this.connect();
  }

  /** Sends a frame if the server has welcomed this socket; frames before that would be refused. */
  send(frame: ClientFrame): boolean {
    if (!this.welcomed || this.socket === null) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    this.retry = undefined;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      // A ws: URL on an https page throws at once; keep retrying slowly rather than stop for good.
      return this.lost();
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(this.events.hello()));
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => (event.code === CLOSE_FORBIDDEN_ORIGIN ? this.refused() : this.lost());
  }

  private refused(): void {
    this.drop();
    this.events.refused();
  }

  private receive(data: unknown): void {
    this.heard = true;
    const frame = parseServerFrame(data);
    if (frame === null) return;
    if (frame.type === 'welcome') this.ready();
    if (frame.type === 'error' && frame.retryAfter !== undefined) this.retryAfter = frame.retryAfter;
    this.events.frame(frame);
  }

  private ready(): void {
    this.welcomed = true;
    // Reset only on welcome: a server that accepts sockets and closes them at once must still be backed off from.
    this.attempt = 0;
    this.pinger = setInterval(() => this.ping(), PING_MS);
  }

  private ping(): void {
    if (!this.heard) return this.lost();
    this.heard = false;
    this.send({ type: 'ping' });
  }

  private lost(): void {
    this.drop();
    this.retry = setTimeout(() => this.connect(), reconnectDelay(this.attempt++, this.retryAfter));
    this.retryAfter = undefined;
    this.events.down();
  }

  /** Forgets the socket at once, without waiting for a closing handshake a dead peer will never finish. */
  private drop(): void {
    clearInterval(this.pinger);
    this.welcomed = false;
    const socket = this.socket;
    this.socket = null;
    if (socket === null) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close();
  }

  private reconnectNow(): void {
    if (this.retry === undefined) return;
    clearTimeout(this.retry);
    this.attempt = 0;
    this.connect();
  }
}
