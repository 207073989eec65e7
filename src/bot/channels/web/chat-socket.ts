/**
 * The chat WebSocket at /chat: transport, sessions and durability for the
 * widget. It checks who may connect (Origin allow-list), who a socket is
 * (a signed session token, never a client-chosen id), and what it may send
 * (16 KB frames, a per-socket rate, valid frames only). Transport only: a
 * customer message goes to the pipeline (deliver.ts), which stores and
 * numbers it, and is acknowledged once it is stored; a re-sent message (same
 * widget id) is acknowledged again and never stored twice, and answered only
 * if its turn never finished (the turn engine decides). What the pipeline
 * delivers (the `Delivery` port) goes to every socket of that session and
 * no other.
 *
 * Misbehaving sockets are closed with a reason (4400 no hello, 4429 flood,
 * 1009 too big, 4408 not reading, 4430 too many new sessions from one
 * address); nobody else notices. The address a socket comes from is noted
 * on its session at hello, so the pipeline can count handoffs by address.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { agentOf, statusOf } from '../../core/handoff.js';
import { retryAfterSeconds, type Limiter } from '../../core/rate-limit.js';
import type { Logger } from '../../log.js';
import type { Delivered, Delivery, Outlet } from '../../pipeline/deliver.js';
import type { ChatSession, SessionBook, StoredMessage } from '../../pipeline/sessions.js';
import type { Inbound } from '../../pipeline/turn-io.js';
import type { StoredFile } from '../../store/store.js';
import { CLOSE, MAX_FRAME_BYTES, MAX_HISTORY, parseClientFrame, type ClientFrame, type ServerFrame } from './protocol.js';
import { verifyIdentity, type SessionSigner } from './session.js';
import { originAllowed } from './origin.js';

export const CHAT_PATH = '/chat';

export interface ChatSocketOptions {
  readonly signer: SessionSigner;
  readonly identitySecret: string | null;
  /** Allowed page origins; empty allows only pages served by this server. */
  readonly allowedOrigins: readonly string[];
  readonly sessions: SessionBook;
  /** Stores a customer message (the pipeline numbers it and shows it on the customer's other connections). */
  readonly accept: Outlet['accept'];
  readonly log: Logger;
  /** The session's uploaded file by the id a message names, or null when it has none such (pipeline/attachments.ts). */
  readonly fileOf?: (sessionId: string, fileId: string) => Promise<StoredFile | null>;
  /** Runs a turn (Botkit, via the adapter) for a session. */
  readonly receive: (sessionId: string, input: Inbound) => Promise<void>;
  readonly now?: () => Date;
  /** Frames per second a socket may keep up, and the burst it may send at once. */
  readonly rate?: { readonly perSecond: number; readonly burst: number };
  /** Milliseconds a new socket has to send its hello. */
  readonly helloTimeoutMs?: number;
  /** The address a connection counts as (its peer, or what a trusted proxy saw); default the socket's peer. */
  readonly addressOf?: (req: IncomingMessage) => string;
  /** New sessions (hellos without a valid token) per address; unlimited when absent. */
  readonly newSessions?: Limiter;
  /** The session's place in the queue for a person (null: not waiting), so a reload shows it at once. */
  readonly queuePosition?: (sessionId: string) => number | null;
  /** How soon a person usually joins lately (seconds), for the widget's header; null before any was seen. */
  readonly replyWithin?: () => number | null;
  /** E-mail is set up: the widget may offer to mail the conversation (welcome `transcripts`). */
  readonly transcripts?: boolean;
  /** Other instances write the same store: a returning customer's session is read again at hello. */
  readonly shared?: boolean;
}

export const DEFAULT_RATE = { perSecond: 5, burst: 20 } as const;
/** A socket that lets this much unread data pile up is closed: it is not reading. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const CLOSE_NOT_READING = 4408;
/** A reply slower than this shows the typing indicator. */
export const TYPING_AFTER_MS = 300;

interface Client {
  /** This server's own name for the connection (a Delivery `origin`). */
  readonly id: string;
  readonly ws: WebSocket;
  readonly address: string;
  session: ChatSession | null;
  tokens: number;
  refilled: number;
  /** The storing of the last message this socket sent: the next is stored after it, in the order they were sent. */
  storing: Promise<unknown>;
}

export class ChatSockets implements Delivery {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly bySession = new Map<string, Set<Client>>();
  private readonly now: () => Date;
  private readonly rate: { readonly perSecond: number; readonly burst: number };
  private connectionCount = 0;

  constructor(private readonly opts: ChatSocketOptions) {
    this.now = opts.now ?? (() => new Date());
    this.rate = opts.rate ?? DEFAULT_RATE;
  }

  /** Takes over WebSocket upgrades for /chat on the HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** The Delivery port: what the pipeline delivers goes to the session's sockets here, but the one it came from. */
  send(sessionId: string, item: Delivered, origin?: string): void {
    for (const client of this.bySession.get(sessionId) ?? []) if (client.id !== origin) this.reply(client, item);
  }

  /**
   * Asks every socket to reconnect at once: what was said to their chats
   * while this server could not hear the other instances is in the store,
   * and a reconnect's hello fetches what came after the last message shown.
   */
  catchUp(): void {
    for (const ws of this.wss.clients) ws.close(CLOSE.catchUp, 'reconnect to catch up');
  }

  /** Closes every socket with "going away" (the widget reconnects to the next server). */
  close(): void {
    for (const ws of this.wss.clients) ws.close(CLOSE.shutdown, 'server restarting');
    this.wss.close();
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== CHAT_PATH) return notFound(socket, 'no WebSocket endpoint here; the chat is at /chat');
    if (!originAllowed(req, this.opts.allowedOrigins)) {
      this.opts.log.warn('chat.origin_refused', { origin: req.headers.origin ?? '' });
      // Told over the socket: a browser hides an upgrade's refusal, and the widget would retry for ever.
      return this.wss.handleUpgrade(req, socket, head, (ws) => {
        const message = `this page's origin (${String(req.headers.origin).slice(0, 200)}) may not open the chat; add it to TACT_ALLOWED_ORIGINS`;
        ws.send(JSON.stringify({ type: 'error', code: 'FORBIDDEN_ORIGIN', message } satisfies ServerFrame));
        ws.close(CLOSE.forbiddenOrigin, 'origin not allowed');
      });
    }
    const address = this.opts.addressOf?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, address));
  }

  private connected(ws: WebSocket, address: string): void {
    const client: Client = { id: `c${++this.connectionCount}`, ws, address, session: null, tokens: this.rate.burst, refilled: Date.now(), storing: Promise.resolve() };
    const helloTimer = setTimeout(() => ws.close(CLOSE.noHello, 'send a hello frame first'), this.opts.helloTimeoutMs ?? 10_000);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!this.allow(client)) return ws.close(CLOSE.flood, 'too many messages; slow down and reconnect');
      if (isBinary) return this.reply(client, { type: 'error', code: 'BAD_FRAME', message: 'frames must be JSON text' });
      this.frame(client, rawText(data)).catch((err: unknown) => this.opts.log.error('chat.frame_failed', { session: client.session?.id ?? null, err }));
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.forget(client);
    });
    ws.on('error', (err) => this.opts.log.warn('chat.socket_error', { session: client.session?.id ?? null, err }));
    ws.once('message', () => clearTimeout(helloTimer));
  }

  /** Token bucket: `burst` frames at once, `perSecond` sustained. */
  private allow(client: Client): boolean {
    const t = Date.now();
    client.tokens = Math.min(this.rate.burst, client.tokens + ((t - client.refilled) / 1000) * this.rate.perSecond);
    client.refilled = t;
    if (client.tokens < 1) return false;
    client.tokens--;
    return true;
  }

  private async frame(client: Client, raw: string): Promise<void> {
    const parsed = parseClientFrame(raw);
    if (!client.session && (!parsed.ok || parsed.frame.type !== 'hello')) {
      client.ws.close(CLOSE.noHello, parsed.ok ? 'the first frame must be hello' : `the first frame must be hello (${parsed.message})`);
      return;
    }
    if (!parsed.ok) return this.reply(client, { type: 'error', code: parsed.code, message: parsed.message });
    await this.handle(client, parsed.frame);
  }

  private async handle(client: Client, frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case 'hello':
        return this.hello(client, frame);
      case 'message':
        return this.message(client, frame);
      case 'identify':
        return this.identify(client, frame.identity);
      case 'end':
        return this.turn(client, { kind: 'event', name: 'end' });
      case 'ping':
        return this.reply(client, { type: 'pong' });
    }
  }

  private async hello(client: Client, frame: Extract<ClientFrame, { type: 'hello' }>): Promise<void> {
    if (client.session) return this.reply(client, { type: 'error', code: 'BAD_FRAME', message: 'this socket already said hello' });
    const proven = this.proven(frame.token);
    if (!proven && !(await this.mayStart(client))) return;
    const { id, token, fresh } = proven ?? this.issue();
    const session = await this.opts.sessions.load(id, frame.lang ?? 'zh');
    if (!fresh && this.opts.shared) await this.opts.sessions.refresh(id);
    if (fresh && frame.lang) session.lang = frame.lang;
    session.address = client.address;
    client.session = session;
    session.sockets++;
    session.lastActive = Date.now();
    const set = this.bySession.get(id) ?? new Set<Client>();
    set.add(client);
    this.bySession.set(id, set);
    if (frame.identity) await this.verify(session, frame.identity);
    else if (fresh) await this.opts.sessions.saveSettings(session, this.now().toISOString());
    // Read after the socket is registered, not with the load: a reply stored meanwhile is then either in the
    // history or sent live (the widget drops a duplicate by seq), never lost between the two.
    const history = await this.opts.sessions.history(id, frame.after, MAX_HISTORY);
    const position = session.handoff.kind === 'queued' ? (this.opts.queuePosition?.(session.id) ?? null) : null;
    const agentName = agentOf(session.handoff);
    const agent = agentName ? { agent: agentName } : {};
    const replyWithin = this.opts.replyWithin?.() ?? null;
    const hint = replyWithin !== null ? { replyWithin: Math.round(replyWithin) } : {};
    this.reply(client, { type: 'welcome', session: token, lang: session.lang, status: statusOf(session.handoff), ...(position !== null ? { position } : {}), ...agent, history, ...hint, ...(this.opts.transcripts ? { transcripts: true as const } : {}) });
    this.opts.log.info('chat.connected', { session: id, resumed: !fresh });
    await this.turn(client, { kind: 'event', name: fresh ? 'welcome' : 'returned' });
  }

  /** The session the token proves; null for no, a forged or an expired token (a new session, if the address may start one). */
  private proven(given: string | null): { id: string; token: string; fresh: false } | null {
    const proven = this.opts.signer.verify(given, Math.floor(this.now().getTime() / 1000));
    return proven && given !== null ? { id: proven.id, token: given, fresh: false } : null;
  }

  private issue(): { id: string; token: string; fresh: true } {
    const { session, token } = this.opts.signer.issue(Math.floor(this.now().getTime() / 1000));
    return { id: session.id, token, fresh: true };
  }

  /** Whether the socket's address may start another session; if not, it is told when to retry and closed. */
  private async mayStart(client: Client): Promise<boolean> {
    const limiter = this.opts.newSessions;
    if (!limiter) return true;
    const verdict = await limiter.take(client.address);
    // One line when an address uses up its allowance, not one per refused hello of a flood.
    const wait = verdict.ok ? await limiter.wait(client.address) : 0;
    if (wait > 0) this.opts.log.warn('chat.new_sessions_limit_reached', { retryAfterSeconds: retryAfterSeconds(wait) });
    if (verdict.ok) return true;
    const retryAfter = retryAfterSeconds(verdict.retryAfterMs);
    this.reply(client, { type: 'error', code: 'TOO_MANY_SESSIONS', message: `too many new chats from this address; retry after ${retryAfter} s`, retryAfter });
    client.ws.close(CLOSE.tooManySessions, `too many new chats; retry after ${retryAfter} s`);
    return false;
  }

  private async message(client: Client, frame: Extract<ClientFrame, { type: 'message' }>): Promise<void> {
    const session = client.session as ChatSession;
    session.lastActive = Date.now();
    // A message naming a file looks the file up before it is stored: the text sent after it must not overtake it.
    const step = client.storing.then(() => this.store(client, session, frame));
    client.storing = step.catch(() => undefined);
    const kept = await step;
    if (!kept) return;
    const input: Inbound = { kind: 'message', text: frame.text, payload: frame.payload, clientId: frame.id, contact: frame.contact ?? null, file: kept.file };
    // A re-send is acknowledged again and handed on too: the turn engine runs its turn only if it never finished.
    this.reply(client, { type: 'ack', id: frame.id, seq: kept.stored.seq });
    await this.turn(client, input);
  }

  /** Stores a customer message (with the file it names, of this chat only); null, with the socket told why, when it cannot be. */
  private async store(client: Client, session: ChatSession, frame: Extract<ClientFrame, { type: 'message' }>): Promise<{ stored: StoredMessage; file: StoredFile | null } | null> {
    const file = frame.file === undefined ? null : ((await this.opts.fileOf?.(session.id, frame.file)) ?? null);
    if (frame.file !== undefined && file === null) {
      this.reply(client, { type: 'error', code: 'BAD_FRAME', message: `message.file ${frame.file} is not a file uploaded in this chat` });
      return null;
    }
    try {
      return { stored: await this.opts.accept(session, { text: frame.text, id: frame.id, payload: frame.payload, contact: frame.contact ?? null, file }, client.id), file };
    } catch (err) {
      // Not acknowledged, so the widget keeps the message and sends it again; the session still says it is not stored.
      this.opts.log.error('chat.store_failed', { session: session.id, err });
      this.reply(client, { type: 'error', code: 'STORE_FAILED', message: 'your message could not be saved; it will be sent again' });
      return null;
    }
  }

  private async identify(client: Client, claim: Extract<ClientFrame, { type: 'identify' }>['identity']): Promise<void> {
    const verified = await this.verify(client.session as ChatSession, claim);
    this.reply(client, { type: 'identified', verified });
  }

  /** Uses the host site's customer name only when its hash proves it. */
  private async verify(session: ChatSession, claim: Extract<ClientFrame, { type: 'identify' }>['identity']): Promise<boolean> {
    const identity = verifyIdentity(this.opts.identitySecret, claim);
    if (!identity) return false;
    session.customer = { name: identity.name };
    session.customerId = identity.id;
    await this.opts.sessions.saveSettings(session, this.now().toISOString());
    return true;
  }

  /**
   * Runs a turn. The typing indicator goes on only if the bot is still
   * working after TYPING_AFTER_MS (most answers arrive sooner, and two frames
   * a message saved is throughput), and off again when it is done.
   */
  private async turn(client: Client, input: Inbound): Promise<void> {
    const session = client.session as ChatSession;
    let typing = false;
    const timer = input.kind === 'message' && session.handoff.kind === 'bot' ? setTimeout(() => ((typing = true), this.send(session.id, { type: 'typing', on: true })), TYPING_AFTER_MS) : null;
    try {
      await this.opts.receive(session.id, input);
    } finally {
      if (timer) clearTimeout(timer);
      if (typing) this.send(session.id, { type: 'typing', on: false });
    }
  }

  private reply(client: Client, frame: ServerFrame): void {
    const { ws } = client;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.close(CLOSE_NOT_READING, 'not reading its messages');
    ws.send(JSON.stringify(frame));
  }

  private forget(client: Client): void {
    const session = client.session;
    if (!session) return;
    session.sockets--;
    const set = this.bySession.get(session.id);
    set?.delete(client);
    if (set?.size === 0) this.bySession.delete(session.id);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** The one upgrade refused with HTTP: a path that is not the chat (a refused origin is told over the socket). */
function notFound(socket: Duplex, message: string): void {
  const body = JSON.stringify({ error: { code: 'not_found', message } });
  socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
