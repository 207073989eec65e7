/**
 * Everything bound for Slack goes through a persistent outbox: a call is
 * stored before it is tried, sent once, in order per channel, at most about
 * one post a second per channel (Slack's chat.postMessage allowance), and
 * retried until it succeeds. A 429 waits exactly its Retry-After; a 5xx or a
 * network failure backs off exponentially; an error Slack will always give
 * again (channel_not_found, invalid_auth …) is logged and dropped, so one bad
 * call cannot block its channel for ever. After a restart the calls not yet
 * done are sent where they left off. How calls are stored, per day, so a
 * start reads only what may still wait, is outbox-log.ts.
 *
 * Thread replies name their parent post by key (the session id): the parent
 * is queued first in the same channel, so its `ts` is known by the time a
 * reply is sent. Posts are kept in the post book (post-book.ts).
 *
 * Several instances (`cluster`): only the leader sends, so each call goes
 * to Slack once. Every instance stores its calls; one that does not lead
 * hands each over on a Redis list (outbox-feed.ts), which the leader empties
 * every second and before queuing a call of its own. An instance checks
 * every second whether it leads: on becoming leader it reads what is not
 * done (outbox-log.ts replay) and sends it; on losing the lead it stops
 * sending (a call in flight finishes and is recorded) and forgets its queue,
 * which the next leader reads from the store. The leader also reads the
 * live days again every few minutes and when Redis is back, for calls whose
 * handover failed.
 *
 * Exactly once, with one caveat: a call the old leader sent but had not yet
 * recorded done when the new leader read the log is sent again by the new
 * one. Slack's chat.postMessage takes no idempotency key, so this cannot be
 * closed from here; it is kept small by recording each call right after
 * Slack answers, and by a leader stepping down only once its lease may have
 * expired (seconds before another can take over).
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@slack/web-api';
import type { Logger } from '../../log.js';
import type { Store, StoredOutboxCall } from '../../store/store.js';
import type { Leadership } from './cluster.js';
import type { OutboxFeed } from './outbox-feed.js';
import { OutboxLog, type Outcome, type OutboxItem } from './outbox-log.js';
import { PostBook, type SlackPost } from './post-book.js';

export type { OutboxItem } from './outbox-log.js';
export type { SlackPost } from './post-book.js';
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

/** Calls the Slack Web API; throws @slack/web-api's errors. */
export type SlackCaller = (method: SlackMethod, args: Record<string, unknown>) => Promise<{ readonly ts?: string; readonly channel?: string }>;

/** Several instances: who sends, and how calls stored elsewhere reach it. */
export interface OutboxCluster {
  readonly leader: Leadership;
  readonly feed: OutboxFeed;
  /** How often leadership and the feed are checked; default 1 s. */
  readonly pollMs?: number;
  /** How often the leader reads the live days again, for calls whose handover failed; default 5 min. */
  readonly sweepMs?: number;
}

export interface OutboxOptions {
  /** Where posts are remembered (the app reads it too); default a book of its own. */
  readonly posts?: PostBook;
  readonly cluster?: OutboxCluster;
  /** The clock that names the day logs (tests move it). */
  readonly clock?: () => number;
}

/** Between two calls to the same channel. */
export const CHANNEL_INTERVAL_MS = 1100;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 60_000;
const POLL_MS = 1000;
const SWEEP_MS = 5 * 60_000;

interface ChannelQueue {
  readonly items: OutboxItem[];
  notBefore: number;
  failures: number;
  busy: boolean;
}

export class SlackOutbox {
  readonly posts: PostBook;
  private readonly calls: OutboxLog;
  private readonly channels = new Map<string, ChannelQueue>();
  private timer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** When Slack first failed without a success since (null while healthy). */
  private failingSince: number | null = null;
  /** This instance sends now: alone, from open; with several, while it leads, once it has read what waits. */
  private sending = false;
  private nextSweep = 0;
  private feedAway = false;

  private constructor(
    store: Store,
    private readonly call: SlackCaller,
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly cluster: OutboxCluster | null,
    opts: OutboxOptions,
  ) {
    this.posts = opts.posts ?? new PostBook(store);
    this.calls = new OutboxLog(store, opts.clock);
  }

  /** Opens the outbox: alone, with every call stored but not yet done queued again; with several, sending only while this instance leads. */
  static async open(store: Store, call: SlackCaller, log: Logger, intervalMs = CHANNEL_INTERVAL_MS, opts: OutboxOptions = {}): Promise<SlackOutbox> {
    const outbox = new SlackOutbox(store, call, log, intervalMs, opts.cluster ?? null, opts);
    if (!outbox.cluster) {
      await outbox.takeOver();
      return outbox;
    }
    for (const [key, post] of await outbox.calls.legacyPosts()) outbox.posts.learn(key, post);
    await outbox.poll();
    return outbox;
  }

  /** Stores the call, then sends it when its channel's turn comes (here, or on the leader). Resolves once it is stored. */
  async send(call: OutboxCall): Promise<void> {
    const item = await this.calls.add({ ...call, id: randomUUID() });
    if (this.sends()) {
      // What other instances stored before this call goes first.
      await this.takeFeed();
      if (this.calls.take(item)) this.queue(item);
      this.kick();
      return;
    }
    await this.cluster?.feed.offer(item).catch((err: unknown) => this.feedFailed(err));
  }

  /** The post remembered under a key (a session's handoff post), as far as this instance knows. */
  post(key: string): SlackPost | null {
    return this.posts.known(key);
  }

  /** The session whose handoff post this is, as far as this instance knows (see PostBook.keyOf for the store's answer). */
  keyOf(channel: string, ts: string): string | null {
    return this.posts.knownKeyOf(channel, ts);
  }

  /** Calls waiting to be sent here, and how long Slack has been failing (0 when healthy). */
  status(now = Date.now()): { readonly waiting: number; readonly failingForMs: number } {
    let waiting = 0;
    for (const q of this.channels.values()) waiting += q.items.length;
    return { waiting, failingForMs: this.failingSince === null ? 0 : now - this.failingSince };
  }

  /** Stops sending; calls in flight finish. What is left stays stored for the next start (or leader). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    await this.polling;
    await Promise.all(this.inFlight);
  }

  /** Alone, always; with several, while sending and still the leader (a lost lead stops it at once). */
  private sends(): boolean {
    if (!this.sending) return false;
    if (!this.cluster || this.cluster.leader.isLeader()) return true;
    this.standBy();
    return false;
  }

  /** Becomes the sender: reads what is not done, then sends it. */
  private async takeOver(): Promise<void> {
    // Calls this instance still had in flight as sender are recorded before the log is read.
    await Promise.all(this.inFlight);
    this.channels.clear();
    this.calls.forget();
    this.posts.forgetKeys();
    const { open, posts } = await this.calls.replay();
    for (const [key, post] of posts) this.posts.learn(key, post);
    for (const item of open) this.queue(item);
    this.sending = true;
    this.nextSweep = Date.now() + (this.cluster?.sweepMs ?? SWEEP_MS);
    if (this.cluster) this.log.info('slack.outbox_sending', { waiting: this.status().waiting });
    this.kick();
  }

  /** Another instance sends now: stop, and forget the queue (it is in the store). */
  private standBy(): void {
    this.sending = false;
    this.channels.clear();
    this.calls.forget();
    this.failingSince = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.log.info('slack.outbox_standby', {});
  }

  /** Several instances: every pollMs, follows the lead, and as leader takes what was handed over. */
  private poll(): Promise<void> {
    this.polling = this.pollOnce()
      .catch((err: unknown) => this.log.warn('slack.outbox_poll_failed', { err }))
      .finally(() => {
        this.polling = null;
        if (this.stopped) return;
        this.pollTimer = setTimeout(() => void this.poll(), this.cluster?.pollMs ?? POLL_MS);
        this.pollTimer.unref();
      });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (this.stopped || !this.cluster) return;
    if (!this.cluster.leader.isLeader()) {
      if (this.sending) this.standBy();
      return;
    }
    if (!this.sending) await this.takeOver();
    await this.takeFeed();
    if (Date.now() >= this.nextSweep) await this.sweep();
  }

  /** Queues what other instances handed over. */
  private async takeFeed(): Promise<void> {
    if (!this.cluster) return;
    let items: readonly OutboxItem[];
    try {
      items = await this.cluster.feed.take();
    } catch (err) {
      this.feedFailed(err);
      return;
    }
    if (this.feedAway) {
      this.feedAway = false;
      // Handovers may have failed meanwhile: read the log again soon.
      this.nextSweep = 0;
      this.log.info('slack.outbox_feed_back', {});
    }
    for (const item of items) if (this.calls.take(item)) this.queue(item);
    this.kick();
  }

  /** Reads the live days again, for calls stored but never handed over, and closes the days that are done. */
  private async sweep(): Promise<void> {
    this.nextSweep = Date.now() + (this.cluster?.sweepMs ?? SWEEP_MS);
    const { open } = await this.calls.replay({ legacy: false });
    if (!this.sending) return;
    for (const item of open) this.queue(item);
    await this.closeDays();
    this.kick();
  }

  private async closeDays(): Promise<void> {
    const missed = await this.calls.closeFinished();
    if (!this.sending) return;
    for (const item of missed) this.queue(item);
  }

  private feedFailed(err: unknown): void {
    if (this.feedAway) return;
    this.feedAway = true;
    this.log.warn('slack.outbox_feed_unreachable', { err, note: 'calls stored by instances that do not send reach the leader when it next reads the outbox log' });
  }

  private queue(item: OutboxItem): void {
    let q = this.channels.get(item.channel);
    if (!q) this.channels.set(item.channel, (q = { items: [], notBefore: 0, failures: 0, busy: false }));
    q.items.push(item);
  }

  /** Sends the head of every channel that may send now, and sleeps until the next one may. */
  private kick(): void {
    if (this.stopped || !this.sends()) return;
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
      const result = await this.call(item.method, await this.argsFor(item));
      // Slack answers with the channel's id; thread replies and updates must use it (a #name is accepted only for new posts).
      // Every post is recorded, so one can be edited later (a conversation forgotten at the customer's request: forget-posts.ts).
      const post = result.ts ? { channel: result.channel ?? channel, ts: result.ts } : null;
      // Recorded at once: until it is, a new leader would send this call again.
      await this.calls.settle(item, { kind: 'outbox', at: new Date().toISOString(), op: 'done', id: item.id, rememberAs: item.rememberAs ?? null, post });
      if (post && item.rememberAs) await this.posts.remember(item.rememberAs, post).catch((err: unknown) => this.log.error('slack.post_unstored', { key: item.rememberAs, err }));
      this.succeeded(q);
    } catch (err) {
      await this.failed(item, q, err);
    }
    await this.closeDays().catch((err: unknown) => this.log.warn('slack.outbox_close_failed', { err }));
  }

  /** The call's arguments, with the parent post's ts filled in (a reply whose parent was never posted goes top-level). */
  private async argsFor(item: OutboxItem): Promise<Record<string, unknown>> {
    const args: Record<string, unknown> = { ...item.args, channel: item.channel };
    const parent = item.threadOf ? await this.posts.post(item.threadOf) : null;
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
      const dropped: Outcome = { kind: 'outbox', at: new Date().toISOString(), op: 'dropped', id: item.id, reason: e.data?.error ?? 'unknown' };
      await this.calls.settle(item, dropped);
      q.items.shift();
      return;
    }
    this.failingSince ??= Date.now();
    q.failures++;
    const wait = e.code === ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (q.failures - 1));
    q.notBefore = Date.now() + wait;
    this.log.warn('slack.call_retry', { method: item.method, channel: item.channel, code: e.code ?? 'unknown', status: e.statusCode ?? null, retryInMs: wait });
  }
}
