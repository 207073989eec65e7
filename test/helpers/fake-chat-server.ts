/**
 * A stand-in for the chat server, for the widget's own browser tests (the
 * end-to-end test runs the real one). It speaks the protocol of
 * src/bot/channels/web/protocol.ts over a real WebSocket at /chat, checking
 * every client frame with the real parseClientFrame, and keeps each
 * session's messages so reconnects and reloads get their history. It also
 * serves the test page and the bundled widget, so the widget's default
 * server (its script's origin) is this one.
 *
 * A test can push frames, hold or lose acks, drop every socket and refuse
 * reconnects (`down`), and read every frame the widget sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ChatMessage, type ChatStatus, type ClientFrame, type Lang, parseClientFrame, type ServerFrame } from '../../src/bot/channels/web/protocol.js';

/** What happens to a customer message: stored and acked; stored with the ack held back (`releaseAcks`); or lost on the way. */
export type AckMode = 'ack' | 'hold' | 'lose';

type Said = Omit<ChatMessage, 'type' | 'seq' | 'at'>;

export class FakeChatServer {
  /** Every valid frame any socket sent, in arrival order. */
  readonly received: ClientFrame[] = [];
  /** Frames parseClientFrame refused: a correct widget sends none. */
  readonly refused: string[] = [];
  acks: AckMode = 'ack';
  status: ChatStatus = 'bot';
  /** The HTML served at `/`, and the Content-Security-Policy sent with it, if any. */
  page = '';
  csp: string | null = null;
  /** When set, a hello without a known token is refused with TOO_MANY_SESSIONS and this retryAfter (seconds), then closed with 4430. */
  refuseNewSessions: number | null = null;
  private down = false;
  /** The session of the latest hello: the one `say` speaks in. */
  private latest = '';
  private readonly sessions = new Map<string, ChatMessage[]>();
  /** Each session's language: the first hello's guess, then whatever `setLang` says (as the real server's customer language). */
  private readonly langs = new Map<string, Lang>();
  private readonly sockets = new Map<WebSocket, string | null>();
  private readonly held: { socket: WebSocket; id: string; seq: number }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    private readonly http: Server,
    private readonly widget: string,
  ) {
    http.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/widget.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(this.widget);
      else if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(this.csp === null ? {} : { 'content-security-policy': this.csp }) }).end(this.page);
      // No favicon, but no 404 either: tests watch the console for errors.
      else if (path === '/favicon.ico') res.writeHead(204).end();
      else res.writeHead(404).end();
    });
    http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(widget: string): Promise<FakeChatServer> {
    const server = new FakeChatServer(createServer(), widget);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Frames of one type the widget sent, in order. */
  frames<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.received.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }

  /** The stored conversation of the session the latest hello spoke for. */
  get conversation(): readonly ChatMessage[] {
    return this.sessions.get(this.latest) ?? [];
  }

  /** Adds a bot or agent message to the latest session and sends it to its open sockets. */
  say(message: Said): ChatMessage {
    const stored = this.store(this.latest, message);
    this.broadcast(this.latest, stored);
    return stored;
  }

  /** Sends any frame to every welcomed socket. */
  push(frame: ServerFrame): void {
    for (const [socket, token] of this.sockets) if (token !== null) send(socket, frame);
  }

  /** The latest session's conversation is now in `lang`: remembered for its welcomes, and a lang frame to its sockets. */
  setLang(lang: Lang): void {
    this.langs.set(this.latest, lang);
    this.broadcast(this.latest, { type: 'lang', lang });
  }

  releaseAcks(): void {
    for (const { socket, id, seq } of this.held.splice(0)) send(socket, { type: 'ack', id, seq });
  }

  /** Drops every socket and refuses new ones until `up()`: the server is unreachable. */
  goDown(): void {
    this.down = true;
    for (const socket of this.sockets.keys()) socket.terminate();
  }

  up(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.down || new URL(req.url ?? '/', 'http://x').pathname !== '/chat') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.set(ws, null);
      ws.on('message', (data) => this.receive(ws, String(data)));
      ws.on('close', () => this.sockets.delete(ws));
    });
  }

  private receive(socket: WebSocket, raw: string): void {
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) {
      this.refused.push(raw);
      send(socket, { type: 'error', code: parsed.code, message: parsed.message });
      return;
    }
    this.received.push(parsed.frame);
    this.handle(socket, parsed.frame);
  }

  private handle(socket: WebSocket, frame: ClientFrame): void {
    switch (frame.type) {
      case 'hello':
        return this.hello(socket, frame.token, frame.lang, frame.after);
      case 'message':
        return this.message(socket, frame.id, frame.text);
      case 'ping':
        return send(socket, { type: 'pong' });
      case 'identify':
        return send(socket, { type: 'identified', verified: true });
      case 'end':
        return;
    }
  }

  private hello(socket: WebSocket, token: string | null, lang: Lang | null, after: number): void {
    if (this.refuseNewSessions !== null && (token === null || !this.sessions.has(token))) {
      send(socket, { type: 'error', code: 'TOO_MANY_SESSIONS', message: 'too many new chats', retryAfter: this.refuseNewSessions });
      socket.close(4430, 'too many new chats');
      return;
    }
    const session = token !== null && this.sessions.has(token) ? token : this.newSession();
    if (!this.langs.has(session)) this.langs.set(session, lang ?? 'zh');
    this.sockets.set(socket, session);
    this.latest = session;
    const history = (this.sessions.get(session) ?? []).filter((m) => m.seq > after);
    send(socket, { type: 'welcome', session, lang: this.langs.get(session) ?? 'zh', status: this.status, history });
  }

  private message(socket: WebSocket, id: string, text: string): void {
    if (this.acks === 'lose') return;
    const token = this.sockets.get(socket) ?? '';
    // A re-sent id is acknowledged again with its first seq, never stored twice (as the protocol promises).
    const seq = this.sessions.get(token)?.find((m) => m.id === id)?.seq ?? this.store(token, { from: 'customer', text, id }).seq;
    if (this.acks === 'hold') this.held.push({ socket, id, seq });
    else send(socket, { type: 'ack', id, seq });
  }

  private store(token: string, message: Said): ChatMessage {
    const messages = this.sessions.get(token) ?? [];
    const stored: ChatMessage = { type: 'message', seq: messages.length + 1, at: new Date().toISOString(), ...message };
    messages.push(stored);
    this.sessions.set(token, messages);
    return stored;
  }

  private broadcast(token: string, frame: ServerFrame): void {
    for (const [socket, session] of this.sockets) if (session === token) send(socket, frame);
  }

  private newSession(): string {
    // Shaped like the real tokens (`<id>.<expiry>.<signature>`), which the widget relies on to tell sessions apart.
    const token = `session${this.sessions.size + 1}.4102444800.fake`;
    this.sessions.set(token, []);
    return token;
  }

}

function send(socket: WebSocket, frame: ServerFrame): void {
  socket.send(JSON.stringify(frame));
}
