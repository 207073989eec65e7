/**
 * Everything bound for Slack goes through a persistent outbox: a call is
 * stored before it is tried, sent once, in order per channel, at most about
 * one post a second per channel (Slack's chat.postMessage allowance), and
 * retried until it succeeds. A 429 waits exactly its Retry-After; a 5xx or a
 * network failure backs off exponentially; an error Slack will always give
 * again (channel_not_found, invalid_auth …) is logged and dropped, so one bad
 * call cannot block its channel for ever. After a restart the calls not yet
 * done are sent where they left off.
 *
 * Thread replies name their parent post by key (the session id): the parent
 * is queued first in the same channel, so its `ts` is known by the time a
 * reply is sent. Keys and their posts are stored too.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@slack/web-api';
import type { Logger } from '../../log.js';
import type { Store, StoredEvent, StoredOutboxCall } from '../../store/store.js';

export type SlackMethod = StoredOutboxCall['method'];

export interface OutboxCall {
  readonly method: SlackMethod;
  readonly channel: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** Fill `thread_ts` (postMessage) or `ts` (update) from the post remembered under this key. */
  readonly threadOf?: string;
  /** Remember this post's `ts` under this key (a session's handoff post). */
  readonly rememberAs?: string;
}

export interface OutboxItem extends OutboxCall {
  readonly id: string;
}

export interface SlackPost {
  readonly channel: string;
  readonly ts: string;
}

/** Calls the Slack Web API; throws @slack/web-api's errors. */
export type SlackCaller = (method: SlackMethod, args: Record<string, unknown>) => Promise<{ readonly ts?: string; readonly channel?: string }>;

/** The store's conversation id for the outbox's own log. */
export const OUTBOX_LOG = 'slack-outbox';
/** Between two calls to the same channel. */
export const CHANNEL_INTERVAL_MS = 1100;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 60_000;

interface ChannelQueue {
  readonly items: OutboxItem[];
  notBefore: number;
  failures: number;
  busy: boolean;
}

export class SlackOutbox {
  private readonly channels = new Map<string, ChannelQueue>();
  private readonly posts = new Map<string, SlackPost>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();
  /** When Slack first failed without a success since (null while healthy). */
  private failingSince: number | null = null;

  private constructor(
    private readonly store: Store,
    private readonly call: SlackCaller,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Opens the outbox, with every call stored but not yet done queued again. */
  static async open(store: Store, call: SlackCaller, log: Logger, intervalMs = CHANNEL_INTERVAL_MS): Promise<SlackOutbox> {
    const outbox = new SlackOutbox(store, call, log, intervalMs);
    const open = new Map<string, OutboxItem>();
    for (const e of await store.read(OUTBOX_LOG)) {
      if (e.kind !== 'outbox') continue;
      if (e.op === 'queued') open.set(e.item.id, e.item);
      else {
        open.delete(e.id);
        if (e.op === 'done' && e.rememberAs && e.post) outbox.posts.set(e.rememberAs, e.post);
      }
    }
    for (const item of open.values()) outbox.queue(item);
    outbox.kick();
    return outbox;
  }

  /** Stores the call, then sends it when its channel's turn comes. Resolves once it is stored. */
  async send(call: OutboxCall): Promise<void> {
    const item: OutboxItem = { ...call, id: randomUUID() };
    await this.record({ kind: 'outbox', at: new Date().toISOString(), op: 'queued', item });
    this.queue(item);
    this.kick();
  }

  /** The post remembered under a key (a session's handoff post), if sent. */
  post(key: string): SlackPost | null {
    return this.posts.get(key) ?? null;
  }

  /** The session whose handoff post this is (for thread replies from agents). */
  keyOf(channel: string, ts: string): string | null {
    for (const [key, p] of this.posts) if (p.ts === ts && p.channel === channel) return key;
    return null;
  }

  /** Calls waiting to be sent, and how long Slack has been failing (0 when healthy). */
  status(now = Date.now()): { readonly waiting: number; readonly failingForMs: number } {
    let waiting = 0;
    for (const q of this.channels.values()) waiting += q.items.length;
    return { waiting, failingForMs: this.failingSince === null ? 0 : now - this.failingSince };
  }

  /** Stops sending; calls in flight finish. What is left stays stored for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.inFlight);
  }

  private queue(item: OutboxItem): void {
    let q = this.channels.get(item.channel);
    if (!q) this.channels.set(item.channel, (q = { items: [], notBefore: 0, failures: 0, busy: false }));
    q.items.push(item);
  }

  /** Sends the head of every channel that may send now, and sleeps until the next one may. */
  private kick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = Date.now();
    let wake = Infinity;
    for (const [channel, q] of this.channels) {
      if (q.busy || q.items.length === 0) continue;
      if (q.notBefore > now) {
        wake = Math.min(wake, q.notBefore);
        continue;
      }
      q.busy = true;
      const sending = this.sendHead(channel, q).finally(() => {
        q.busy = false;
        this.inFlight.delete(sending);
        this.kick();
      });
      this.inFlight.add(sending);
    }
    if (wake !== Infinity) this.timer = setTimeout(() => this.kick(), wake - now);
  }

  private async sendHead(channel: string, q: ChannelQueue): Promise<void> {
    const item = q.items[0] as OutboxItem;
    try {
      const result = await this.call(item.method, this.argsFor(item));
      // Slack answers with the channel's id; thread replies and updates must use it (a #name is accepted only for new posts).
      const post = item.rememberAs && result.ts ? { channel: result.channel ?? channel, ts: result.ts } : null;
      await this.record({ kind: 'outbox', at: new Date().toISOString(), op: 'done', id: item.id, rememberAs: item.rememberAs ?? null, post });
      if (post && item.rememberAs) this.posts.set(item.rememberAs, post);
      this.succeeded(q);
    } catch (err) {
      await this.failed(item, q, err);
    }
  }

  /** The call's arguments, with the parent post's ts filled in (a reply whose parent was never posted goes top-level). */
  private argsFor(item: OutboxItem): Record<string, unknown> {
    const args: Record<string, unknown> = { ...item.args, channel: item.channel };
    const parent = item.threadOf ? this.posts.get(item.threadOf) : undefined;
    if (parent) {
      args['channel'] = parent.channel;
      args[item.method === 'chat.update' ? 'ts' : 'thread_ts'] = parent.ts;
    }
    return args;
  }

  private succeeded(q: ChannelQueue): void {
    q.items.shift();
    q.failures = 0;
    q.notBefore = Date.now() + this.intervalMs;
    this.failingSince = null;
  }

  private async failed(item: OutboxItem, q: ChannelQueue, err: unknown): Promise<void> {
    const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
    if (e.code === ErrorCode.PlatformError) {
      // Slack understood and refused: the same call would be refused again.
      this.log.error('slack.call_refused', { method: item.method, channel: item.channel, error: e.data?.error ?? 'unknown' });
      await this.record({ kind: 'outbox', at: new Date().toISOString(), op: 'dropped', id: item.id, reason: e.data?.error ?? 'unknown' });
      q.items.shift();
      return;
    }
    this.failingSince ??= Date.now();
    q.failures++;
    const wait = e.code === ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (q.failures - 1));
    q.notBefore = Date.now() + wait;
    this.log.warn('slack.call_retry', { method: item.method, channel: item.channel, code: e.code ?? 'unknown', status: e.statusCode ?? null, retryInMs: wait });
  }

  private async record(event: StoredEvent): Promise<void> {
    await this.store.append(OUTBOX_LOG, event);
  }
}
