/**
 * The outbox's calls as stored, kept so that a start, or an instance
 * taking the sending over, reads only what may still be waiting and never
 * the whole history:
 *
 *   slack-outbox-<YYYYMMDD>  the calls stored that UTC day (queued), and each one's outcome
 *                            (done, with the post it made; or dropped), appended to the log
 *                            of the call's own day whenever it settles
 *   slack-outbox-days        the index: a day is announced (live) before its first call is
 *                            stored, and closed once the day is over and its every call settled
 *
 * Replaying reads the index and the days still live: usually yesterday and
 * today, more only while calls stay undone (Slack down for days). A closed
 * day's calls are never read again: that is the compaction, without
 * rewriting anything in an append-only store. The index itself grows by a
 * few small events a day (each instance announces a day once per process;
 * the sender closes it once), which a start reads in full: tens of
 * kilobytes after years. The single `slack-outbox` log of earlier versions
 * no longer grows; it is read at each replay as before, for calls left in
 * it and its posts.
 *
 * A day is closed only when it has been over for a while (GRACE_MS: clocks
 * of instances differ a little) and only after its log, read once more,
 * shows every call settled: a call another instance stored that never
 * reached the sender is found then, not closed away.
 *
 * The sender tracks, per day it read, the calls open and settled, so a
 * call that reaches it twice (stored by another instance and handed over,
 * then read again in a replay) is sent once.
 */
import type { Store, StoredEvent, StoredOutboxCall } from '../../store/store.js';
import { dayOfOutboxLog, LEGACY_OUTBOX_LOG, OUTBOX_DAYS_LOG, outboxDayLog, utcDay } from './logs.js';
import type { SlackPost } from './post-book.js';

/** A stored call, and the log it is stored in (where its outcome goes). */
export interface OutboxItem extends StoredOutboxCall {
  readonly segment: string;
}

export type Outcome = Extract<StoredEvent, { kind: 'outbox'; op: 'done' | 'dropped' }>;

/** How long after a day ends its log may still get calls from an instance whose clock is behind. */
export const GRACE_MS = 10 * 60_000;
const DAY_MS = 24 * 3600_000;

interface Tally {
  readonly open: Set<string>;
  readonly settled: Set<string>;
}

interface SegmentRead {
  readonly queued: readonly StoredOutboxCall[];
  readonly settled: ReadonlySet<string>;
  readonly posts: readonly (readonly [string, SlackPost])[];
}

export class OutboxLog {
  /** Days this process has announced in the index. */
  private readonly announced = new Set<string>();
  /** The sender's view of each day it read: calls open (queued here) and settled. */
  private readonly tallies = new Map<string, Tally>();
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Stores a call in today's log, the day announced in the index first. */
  async add(call: StoredOutboxCall): Promise<OutboxItem> {
    const segment = outboxDayLog(utcDay(this.clock()));
    if (!this.announced.has(segment)) {
      await this.store.append(OUTBOX_DAYS_LOG, { kind: 'outbox', at: this.at(), op: 'segment', segment, live: true });
      this.announced.add(segment);
    }
    await this.store.append(segment, { kind: 'outbox', at: this.at(), op: 'queued', item: call });
    return { ...call, segment };
  }

  /** Stores a call's outcome in its day's log. */
  async settle(item: OutboxItem, outcome: Outcome): Promise<void> {
    await this.store.append(item.segment, outcome);
    const tally = this.tallies.get(item.segment);
    tally?.open.delete(item.id);
    tally?.settled.add(item.id);
  }

  /**
   * The sender takes a call: true when it is new to it, false when it is
   * already queued or settled (a call handed over and also read back).
   */
  take(item: OutboxItem): boolean {
    const tally = this.tally(item.segment);
    if (tally.open.has(item.id) || tally.settled.has(item.id)) return false;
    tally.open.add(item.id);
    return true;
  }

  /** The sender queues nothing any more (another instance sends now): what it knew is read again when it takes over. */
  forget(): void {
    this.tallies.clear();
  }

  /**
   * Reads what may still be waiting (the legacy log, then each live day,
   * oldest first) and returns the calls not settled that the sender has not
   * taken, taken now, with every post the logs name. `legacy: false` skips
   * the legacy log (a sweep: nothing new is ever stored there).
   */
  async replay(opts: { readonly legacy: boolean } = { legacy: true }): Promise<{ readonly open: readonly OutboxItem[]; readonly posts: readonly (readonly [string, SlackPost])[] }> {
    const open: OutboxItem[] = [];
    const posts: (readonly [string, SlackPost])[] = [];
    const days = await this.liveDays();
    for (const segment of opts.legacy ? [LEGACY_OUTBOX_LOG, ...days] : days) {
      const read = await this.read(segment);
      open.push(...this.merge(segment, read));
      posts.push(...read.posts);
    }
    return { open, posts };
  }

  /**
   * Closes every day the sender read that is over (by GRACE_MS) with no call
   * open here, once its log read again shows none open anywhere; returns the
   * calls that shows instead (never handed over), taken now. One pass at a time.
   */
  async closeFinished(): Promise<readonly OutboxItem[]> {
    if (this.closing) return [];
    this.closing = true;
    try {
      return await this.closeOnce();
    } finally {
      this.closing = false;
    }
  }

  /** The posts the legacy log names (an instance that does not send still finds threads by them). */
  async legacyPosts(): Promise<readonly (readonly [string, SlackPost])[]> {
    return (await this.read(LEGACY_OUTBOX_LOG)).posts;
  }

  private async closeOnce(): Promise<OutboxItem[]> {
    const missed: OutboxItem[] = [];
    for (const [segment, tally] of [...this.tallies]) {
      const day = dayOfOutboxLog(segment);
      if (day === null || tally.open.size > 0 || this.clock() < dayStart(day) + DAY_MS + GRACE_MS) continue;
      const found = this.merge(segment, await this.read(segment));
      if (found.length > 0) {
        missed.push(...found);
        continue;
      }
      await this.store.append(OUTBOX_DAYS_LOG, { kind: 'outbox', at: this.at(), op: 'segment', segment, live: false });
      this.tallies.delete(segment);
    }
    return missed;
  }

  /** Folds a read into the day's tally; returns the calls open in it that were new to the sender. */
  private merge(segment: string, read: SegmentRead): OutboxItem[] {
    const tally = this.tally(segment);
    for (const id of read.settled) {
      tally.settled.add(id);
      tally.open.delete(id);
    }
    return read.queued.filter((call) => !read.settled.has(call.id)).flatMap((call) => (this.take({ ...call, segment }) ? [{ ...call, segment }] : []));
  }

  private async liveDays(): Promise<string[]> {
    const live = new Map<string, boolean>();
    for (const e of await this.store.read(OUTBOX_DAYS_LOG)) if (e.kind === 'outbox' && e.op === 'segment') live.set(e.segment, e.live);
    return [...live].filter(([, isLive]) => isLive).map(([segment]) => segment).sort();
  }

  private async read(segment: string): Promise<SegmentRead> {
    const queued: StoredOutboxCall[] = [];
    const settled = new Set<string>();
    const posts: (readonly [string, SlackPost])[] = [];
    for (const e of await this.store.read(segment)) {
      if (e.kind !== 'outbox') continue;
      if (e.op === 'queued') queued.push(e.item);
      else if (e.op === 'done' || e.op === 'dropped') settled.add(e.id);
      if (e.op === 'done' && e.rememberAs && e.post) posts.push([e.rememberAs, e.post]);
    }
    return { queued, settled, posts };
  }

  private tally(segment: string): Tally {
    let tally = this.tallies.get(segment);
    if (!tally) this.tallies.set(segment, (tally = { open: new Set(), settled: new Set() }));
    return tally;
  }

  private at(): string {
    return new Date(this.clock()).toISOString();
  }
}

/** Midnight UTC starting a YYYYMMDD day, in ms. */
function dayStart(day: string): number {
  return Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`);
}
