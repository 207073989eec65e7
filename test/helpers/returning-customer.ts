/**
 * A customer who keeps coming back across server restarts: one session token,
 * messages numbered in the order they are sent, and a ledger of which ones
 * the server acknowledged (its `ack` frame, sent only once a message is on
 * disk). Like the widget, a customer who reconnects sends again what was
 * never acknowledged, with the same id. The fault suite holds the ledger
 * against the history the server shows and the files it left on disk.
 */
import { ChatClient } from './chat-server.js';

/** Questions from the shop KB (test/helpers/temp-kb.ts), asked in turn. */
const QUESTIONS = ['下单后多久发货？', '退款多久到账？', '怎么开发票？', '忘记密码怎么办？', 'How soon will my order ship?', 'How do I get an invoice?'];
const ACK_TIMEOUT_MS = 15_000;
/** Each customer connects from a loopback address of its own (127.0.x.y), as real customers come from their own addresses; the server's per-address limits on new sessions then count each one apart. */
let customers = 0;
function ownAddress(): string {
  customers++;
  return `127.0.${Math.floor(customers / 250) % 250}.${(customers % 250) + 2}`;
}

export class ReturningCustomer {
  /** Every message id sent, in sending order (a re-send keeps its place). */
  readonly sent: string[] = [];
  readonly acked = new Set<string>();
  private readonly texts = new Map<string, string>();
  private token: string | null = null;
  private client: ChatClient | null = null;
  private ackWatch: { readonly count: number; readonly action: () => void } | null = null;

  private readonly address = ownAddress();

  constructor(readonly name: string) {}

  /** The conversation's id in the store: a session token is `<session id>.<expiry>.<signature>`. */
  get sessionId(): string {
    if (this.token === null) throw new Error(`${this.name} has not visited yet`);
    return this.token.split('.')[0] as string;
  }

  /** Acknowledged ids in sending order. */
  get ackedInOrder(): string[] {
    return this.sent.filter((id) => this.acked.has(id));
  }

  /** Opens a chat socket, resuming the session after the first visit; the token must still be honoured. */
  async visit(url: string): Promise<void> {
    this.leave();
    const { client, welcome } = await ChatClient.open(url, this.token === null ? { lang: 'zh' } : { token: this.token, after: 0 }, {}, this.address);
    if (this.token !== null && welcome.session !== this.token) throw new Error(`${this.name}'s session token was not honoured after the restart: the server started a new session`);
    this.token = welcome.session;
    this.client = client;
    // A server killed under the socket may reset it; that is the point of the test, not an error in it.
    client.ws.on('error', () => undefined);
    client.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: string };
      if (frame.type !== 'ack' || frame.id === undefined || !this.texts.has(frame.id)) return;
      this.acked.add(frame.id);
      if (this.ackWatch && this.acked.size >= this.ackWatch.count) {
        this.ackWatch.action();
        this.ackWatch = null;
      }
    });
  }

  get visited(): boolean {
    return this.token !== null;
  }

  /** Sends `count` new messages at once (at most 19 a visit: the socket's burst allowance is 20 frames, hello included). */
  burst(count: number): string[] {
    const ids = Array.from({ length: count }, () => this.next());
    for (const id of ids) this.socket().send({ type: 'message', id, text: this.texts.get(id) });
    return ids;
  }

  /** Sends `count` new messages `gapMs` apart, as someone typing fast; stops early if the socket closes. */
  async trickle(count: number, gapMs: number): Promise<void> {
    const client = this.socket();
    for (let i = 0; i < count && client.closed === null; i++) {
      const id = this.next();
      client.send({ type: 'message', id, text: this.texts.get(id) });
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  /** Runs `action` in the same turn of the event loop as the `count`th acknowledgement arrives. */
  onAck(count: number, action: () => void): void {
    this.ackWatch = { count, action };
  }

  /** Sends `count` new messages and waits until every one is acknowledged. */
  async ask(count: number): Promise<void> {
    await this.acksFor(this.burst(count));
  }

  /** What the widget does on reconnecting: sends again, with the same ids, what was never acknowledged. */
  async resendUnacked(): Promise<void> {
    const unacked = this.sent.filter((id) => !this.acked.has(id));
    for (const id of unacked) this.socket().send({ type: 'message', id, text: this.texts.get(id) });
    await this.acksFor(unacked);
  }

  /** Waits until `ids` are acknowledged, or the socket closes (the server was killed). */
  async acksFor(ids: readonly string[], timeoutMs = ACK_TIMEOUT_MS): Promise<void> {
    const client = this.socket();
    const deadline = Date.now() + timeoutMs;
    while (!ids.every((id) => this.acked.has(id)) && client.closed === null) {
      if (Date.now() > deadline) throw new Error(`${this.name}: ${ids.filter((id) => !this.acked.has(id)).join(', ')} not acknowledged within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Customer message ids in the history a fresh socket is shown (hello with after: 0), in order. */
  async historyIds(url: string): Promise<string[]> {
    const { client, welcome } = await ChatClient.open(url, { token: this.token, after: 0 });
    client.ws.on('error', () => undefined);
    client.close();
    return welcome.history.filter((m) => m.from === 'customer' && m.id !== undefined).map((m) => m.id as string);
  }

  /** Waits until no frame has come for `quietMs` (the bot has finished answering): the server is idle for this customer. */
  async quiet(quietMs = 400, timeoutMs = 10_000): Promise<void> {
    const client = this.socket();
    const deadline = Date.now() + timeoutMs;
    let count = client.frames.length;
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() > deadline) throw new Error(`${this.name}: the server kept sending for ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
      if (client.frames.length !== count) [count, since] = [client.frames.length, Date.now()];
    }
  }

  leave(): void {
    this.client?.close();
    this.client = null;
  }

  private next(): string {
    const id = `${this.name}-${this.sent.length}`;
    this.sent.push(id);
    this.texts.set(id, `${QUESTIONS[this.sent.length % QUESTIONS.length]} (${id})`);
    return id;
  }

  private socket(): ChatClient {
    if (this.client === null) throw new Error(`${this.name} has no socket open; visit first`);
    return this.client;
  }
}
