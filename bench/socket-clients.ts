/**
 * The socket section's two chat clients, one WebSocket each, as a load
 * generator uses them: Tact's chat protocol (src/bot/channels/web/protocol.ts)
 * and botbuilder-adapter-web's. A client only stamps when a message was
 * acknowledged and answered and tells its hooks; the load generator measures.
 *
 *   Tact    hello → welcome, greeting; message → ack, reply (typing frames only for a slow turn)
 *   Botkit  {type: 'message', text, user, channel: 'websocket'} → {type: 'message', text}
 */
import WebSocket from 'ws';
import type { ServerFrame } from '../src/bot/channels/web/protocol.js';

/** One customer message in flight; times are performance.now() milliseconds. */
export interface Sent {
  readonly id: string;
  /** When it was (or, open loop, should have been) sent. */
  readonly at: number;
  ackAt: number | null;
  replyAt: number | null;
}

export interface ClientHooks {
  ack(m: Sent): void;
  reply(m: Sent): void;
  /** The session was handed to the human queue: the bot stays quiet, so these will not be answered. */
  queued(unanswered: readonly Sent[]): void;
  /** The socket closed without being asked to. */
  lost(why: string): void;
}

export interface ChatClient {
  send(m: Sent, text: string): void;
  close(): void;
}

export type OpenClient = (hooks: ClientHooks) => Promise<ChatClient>;

/** Clients of Tact; with several URLs (instances), each new client goes to the next, as a round-robin balancer would send it. */
export function tactClient(urls: readonly string[]): OpenClient {
  let opened = 0;
  return async (hooks) => {
    const ws = await connect(urls[opened++ % urls.length] as string);
    const client = new TactClient(ws, hooks);
    await client.greeted;
    return client;
  };
}

export function botkitClient(url: string): OpenClient {
  let users = 0;
  return async (hooks) => new BotkitClient(await connect(url), hooks, `bench-user-${++users}`);
}

class TactClient implements ChatClient {
  /** Resolves on the greeting, the welcome turn's one message; the customer speaks after it. */
  readonly greeted: Promise<void>;
  private greet: (() => void) | null = null;
  private readonly unacked = new Map<string, Sent>();
  /** Acknowledged messages whose turn has not ended: the server acks and queues a turn in one step, so ack order is turn order. */
  private readonly turns: Sent[] = [];
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly hooks: ClientHooks,
  ) {
    this.greeted = new Promise((resolve) => (this.greet = resolve));
    ws.on('message', (data) => this.frame(JSON.parse(String(data)) as ServerFrame));
    watchClose(ws, hooks, () => this.closing);
    ws.send(JSON.stringify({ type: 'hello', lang: 'zh' }));
  }

  send(m: Sent, text: string): void {
    this.unacked.set(m.id, m);
    this.ws.send(JSON.stringify({ type: 'message', id: m.id, text }));
  }

  close(): void {
    this.closing = true;
    this.ws.close();
  }

  private frame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ack':
        return this.acked(frame.id);
      case 'message':
        return this.greet ? this.heardGreeting() : this.answered(frame.from);
      case 'status':
        return frame.status === 'queued' ? this.queued() : undefined;
      default:
        return undefined;
    }
  }

  private heardGreeting(): void {
    this.greet?.();
    this.greet = null;
  }

  private acked(id: string): void {
    const m = this.unacked.get(id);
    if (!m) return;
    this.unacked.delete(id);
    m.ackAt = performance.now();
    this.turns.push(m);
    this.hooks.ack(m);
  }

  /** The load asks only questions answered with one FAQ reply, so each reply ends the oldest turn. */
  private answered(from: string): void {
    if (from !== 'bot') return;
    const m = this.turns.shift();
    if (!m) return;
    m.replyAt = performance.now();
    this.hooks.reply(m);
  }

  private queued(): void {
    const waiting = [...this.turns, ...this.unacked.values()].filter((m) => m.replyAt === null);
    this.turns.length = 0;
    this.unacked.clear();
    this.close();
    this.hooks.queued(waiting);
  }
}

class BotkitClient implements ChatClient {
  /** The echo carries no id, so each text is made unique and the echo is matched by it. */
  private readonly byText = new Map<string, Sent>();
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly hooks: ClientHooks,
    private readonly user: string,
  ) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: unknown; text?: unknown };
      if (frame.type === 'message' && typeof frame.text === 'string') this.answered(frame.text);
    });
    watchClose(ws, hooks, () => this.closing);
  }

  send(m: Sent, text: string): void {
    const unique = `${text} #${m.id}`;
    this.byText.set(unique, m);
    this.ws.send(JSON.stringify({ type: 'message', text: unique, user: this.user, channel: 'websocket' }));
  }

  close(): void {
    this.closing = true;
    this.ws.close();
  }

  private answered(text: string): void {
    const m = this.byText.get(text);
    if (!m) return;
    this.byText.delete(text);
    m.replyAt = performance.now();
    this.hooks.reply(m);
  }
}

function connect(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function watchClose(ws: WebSocket, hooks: ClientHooks, closing: () => boolean): void {
  ws.on('error', (err) => hooks.lost(err.message));
  ws.on('close', (code, reason) => {
    if (!closing()) hooks.lost(`closed ${code} ${String(reason)}`);
  });
}
