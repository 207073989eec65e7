/** Starts a real Tact server on a free port for a test, and a WebSocket client that speaks the chat protocol. */
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../src/bot/config.js';
import { DEFAULT_LIMITS, type AbuseLimits } from '../../src/bot/limits.js';
import { createLogger } from '../../src/bot/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/bot/server.js';
import type { ChatMessage, ServerFrame } from '../../src/bot/channels/web/protocol.js';
import { tempDir } from './temp-kb.js';

export const TEST_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_IDENTITY_SECRET = 'test-identity-secret-0123456789abcdef';

/** Retention is off unless a test turns it on: its daily task would otherwise be one more task every scheduler test counts. */
export function testConfig(kbDir: string, env: Readonly<Record<string, string>> = {}): Config {
  return loadConfig({ PORT: '1', HOST: '127.0.0.1', TACT_KB_DIR: kbDir, TACT_DATA_DIR: tempDir(), TACT_SESSION_SECRET: TEST_SECRET, TACT_IDENTITY_SECRET: TEST_IDENTITY_SECRET, LOG_LEVEL: 'error', TACT_DECISION_WORKERS: '0', TACT_RETENTION_DAYS: 'off', ...env });
}

/** Every test client comes from 127.0.0.1: tests of other things open sessions and hand off as often as they need; the limit tests pass DEFAULT_LIMITS. */
const UNLIMITED = { burst: 1_000_000, perMinute: 1_000_000 } as const;
export const LOOSE_LIMITS: AbuseLimits = { ...DEFAULT_LIMITS, newSessions: UNLIMITED, handoffsPerAddress: UNLIMITED, handoffsPerSession: UNLIMITED };

/** The agent a test server has on duty unless a test says otherwise (`onDuty: []` for nobody). */
export const TEST_AGENT = 'admin:test-agent';

/** A server on an ephemeral port, quiet unless something goes wrong, with one agent on duty so handoffs queue. */
export async function testServer(config: Config, opts: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ ...config, port: 0 }, { log: createLogger('error', process.env['TACT_TEST_LOG'] ? undefined : () => undefined), deskTickMs: 0, limits: LOOSE_LIMITS, onDuty: [TEST_AGENT], ...opts });
}

type Frame = ServerFrame;

/** A chat client: records every frame, waits for the ones a test expects. */
export class ChatClient {
  readonly frames: Frame[] = [];
  private waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private seen = 0;
  closed: { code: number; reason: string } | null = null;
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const w of this.closeWaiters.splice(0)) w(this.closed);
    });
  }

  /** `from` connects from another loopback address (127.0.0.2 …), a real second client address on Linux. */
  static async connect(url: string, headers: Readonly<Record<string, string>> = {}, from?: string): Promise<ChatClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/chat`, { headers, ...(from ? { localAddress: from } : {}) });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ChatClient(ws);
  }

  /** Connects and says hello; resolves with the welcome frame. */
  static async open(url: string, hello: Record<string, unknown> = {}, headers: Readonly<Record<string, string>> = {}, from?: string): Promise<{ client: ChatClient; welcome: Extract<Frame, { type: 'welcome' }> }> {
    const client = await ChatClient.connect(url, headers, from);
    client.send({ type: 'hello', ...hello });
    const welcome = (await client.next((f) => f.type === 'welcome')) as Extract<Frame, { type: 'welcome' }>;
    return { client, welcome };
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  private counter = 0;
  /** Sends a customer message; resolves with its ack. */
  async say(text: string, payload?: string, id = `m${++this.counter}-${Date.now()}`): Promise<Extract<Frame, { type: 'ack' }>> {
    this.send({ type: 'message', id, text, ...(payload ? { payload } : {}) });
    return (await this.next((f) => f.type === 'ack' && f.id === id)) as Extract<Frame, { type: 'ack' }>;
  }

  /** The next frame (not yet consumed by `next`) that passes the test, within the timeout. */
  next(test: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const found = this.frames.slice(this.seen).findIndex(test);
    if (found >= 0) {
      this.seen += found + 1;
      return Promise.resolve(this.frames[this.seen - 1] as Frame);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          this.seen = this.frames.length;
          resolve(f);
        },
      };
      // A waiter that timed out is dropped: left in place, it would swallow the next matching frame for nobody.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(this.seen)).slice(0, 800)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next bot or agent message. */
  async reply(timeoutMs?: number): Promise<ChatMessage> {
    return (await this.next((f) => f.type === 'message' && f.from !== 'customer', timeoutMs)) as ChatMessage;
  }

  /** Bot and agent messages until the socket has been quiet for `quietMs`. */
  async repliesUntilQuiet(quietMs = 400): Promise<ChatMessage[]> {
    const out: ChatMessage[] = [];
    for (;;) {
      try {
        out.push(await this.reply(quietMs));
      } catch {
        return out;
      }
    }
  }

  waitClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket not closed in time')), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
