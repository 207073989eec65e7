/**
 * One customer of the reliability soak, behaving as the widget does while
 * the server under it is killed and restarted: one session token kept for
 * the whole run, one question at a time (sent, acknowledged, answered, a
 * short pause), and on every reconnect the question not yet acknowledged is
 * sent again with the same id. Its ledger records what the server
 * acknowledged; bench/reliability-count.ts holds that against the disk.
 */
import WebSocket from 'ws';
import type { ServerFrame } from '../src/bot/channels/web/protocol.js';
import type { Ledger } from './reliability-count.js';

/** How long a customer waits for an acknowledgement or an answer before treating the server as gone. */
const ACK_WAIT_MS = 5000;
const ANSWER_WAIT_MS = 3000;
/** Between reconnect attempts while the server is down. */
const RECONNECT_MS = 200;
const PAUSE_MS = { min: 50, max: 400 } as const;

export class SoakCustomer {
  private token: string | null = null;
  private ws: WebSocket | null = null;
  /** One ledger per conversation: a new one only if the server refused the token and started a new session. */
  private readonly ledgers: { conversation: string; acked: string[] }[] = [];
  /** Times the server did not honour this customer's token after a restart. */
  tokensRefused = 0;
  private pending: { readonly id: string; readonly text: string } | null = null;
  private asked = 0;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly offset: number;

  constructor(
    private readonly name: string,
    private readonly url: string,
    private readonly questions: readonly string[],
    private readonly random: () => number,
  ) {
    this.offset = Math.floor(random() * questions.length);
  }

  get ledger(): readonly Ledger[] {
    return this.ledgers.map((l) => ({ conversation: l.conversation, acked: [...l.acked] }));
  }

  /** Chats until `stop` is called, then goes on only until its last question is acknowledged (or `graceMs` pass). */
  async run(graceMs: number): Promise<void> {
    let graceEnds = Infinity;
    while (this.pending !== null || !this.stopping) {
      if (this.stopping && graceEnds === Infinity) graceEnds = Date.now() + graceMs;
      if (Date.now() > graceEnds) break;
      if (!(await this.connected())) {
        await sleep(RECONNECT_MS);
        continue;
      }
      if (this.pending === null && !this.stopping) this.pending = this.nextQuestion();
      if (this.pending !== null) await this.askPending();
    }
    this.ws?.close();
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** An open socket that has said hello and been welcomed, or false while the server is down. */
  private async connected(): Promise<boolean> {
    if (this.ws?.readyState === WebSocket.OPEN) return true;
    try {
      this.ws = await this.hello();
      return true;
    } catch {
      this.ws = null;
      return false;
    }
  }

  private hello(): Promise<WebSocket> {
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/chat`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (ws.terminate(), reject(new Error('no welcome'))), ACK_WAIT_MS);
      ws.on('error', () => undefined);
      ws.once('close', () => (clearTimeout(timer), reject(new Error('closed before the welcome'))));
      ws.once('open', () => ws.send(JSON.stringify(this.token === null ? { type: 'hello', lang: 'zh' } : { type: 'hello', token: this.token, after: 0 })));
      ws.on('message', (data) => this.frame(JSON.parse(String(data)) as ServerFrame, () => (clearTimeout(timer), resolve(ws))));
      ws.on('close', () => this.wake?.());
    });
  }

  private frame(frame: ServerFrame, welcomed: () => void): void {
    if (frame.type === 'welcome') {
      // A token not honoured (a session secret regenerated) starts a new conversation; the old ledger keeps the old one's acks.
      if (frame.session !== this.token) {
        if (this.token !== null) this.tokensRefused++;
        this.token = frame.session;
        this.ledgers.push({ conversation: frame.session.split('.')[0] as string, acked: [] });
      }
      welcomed();
      return;
    }
    if (frame.type === 'ack' && frame.id === this.pending?.id) {
      this.ledgers[this.ledgers.length - 1]?.acked.push(frame.id);
      this.pending = null;
    }
    if (frame.type === 'ack' || (frame.type === 'message' && frame.from !== 'customer')) this.wake?.();
  }

  /** Sends the pending question (again, after a reconnect), waits for its ack and then for an answer or the pause. */
  private async askPending(): Promise<void> {
    const ws = this.ws as WebSocket;
    const question = this.pending as { id: string; text: string };
    ws.send(JSON.stringify({ type: 'message', id: question.id, text: question.text }));
    await this.until(() => this.pending !== question || ws.readyState !== WebSocket.OPEN, ACK_WAIT_MS);
    if (this.pending === question) return ws.readyState === WebSocket.OPEN ? ws.terminate() : undefined;
    let answered = false;
    const answer = (data: WebSocket.RawData): void => {
      const f = JSON.parse(String(data)) as ServerFrame;
      if (f.type === 'message' && f.from !== 'customer') answered = true;
    };
    ws.on('message', answer);
    await this.until(() => answered || ws.readyState !== WebSocket.OPEN, ANSWER_WAIT_MS);
    ws.off('message', answer);
    await sleep(PAUSE_MS.min + this.random() * (PAUSE_MS.max - PAUSE_MS.min));
  }

  /** The next question of the list, from a place of this customer's own, so no question comes twice in a session until all have been asked. */
  private nextQuestion(): { id: string; text: string } {
    const n = this.asked++;
    return { id: `${this.name}-${n}`, text: this.questions[(this.offset + n) % this.questions.length] as string };
  }

  /** Resolves once `done()` holds, checked whenever a frame arrives or the socket closes, or after `timeoutMs`. */
  private async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, Math.max(0, deadline - Date.now())));
        this.wake = () => (clearTimeout(timer), resolve());
      });
      this.wake = null;
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
