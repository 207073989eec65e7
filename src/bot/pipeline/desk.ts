/**
 * The help desk: customers waiting for a person, per team, in the order
 * they were handed off; who is on duty to take them (presence.ts); how long
 * the team has lately taken per conversation (for honest waits, see
 * core/wait-estimate.ts); and the agent actions that move a conversation on
 * (join, step away, come back, reply, return it to the bot, resolve).
 *
 * The desk decides nothing and says nothing itself: every change is raised
 * as an event on the session's turn queue, and the scripts phrase it to the
 * customer and store it. So agent actions run in order with the customer's
 * own messages and go through Botkit like everything else. Agent surfaces
 * (Slack, the admin page) call these methods; tests call them directly.
 *
 * What a waiting customer hears from the desk, one notice per change:
 *   - their place moved up (someone ahead left): the header changes, quietly;
 *   - another interval passed: a reminder with their place and the wait;
 *   - the last agent went off duty: that nobody can take the chat now, and
 *     that they can leave a message; someone back on duty: the wait again.
 */
import { estimateWait } from '../core/wait-estimate.js';
import type { Inbound } from './turn-io.js';
import type { StoredFile } from '../store/store.js';
import type { Presence } from './presence.js';

export type DeskEvent = Extract<Inbound, { kind: 'event' }>;
export type Raise = (sessionId: string, event: DeskEvent) => Promise<void>;

/** The team's times a wait is estimated from. */
export interface TeamTimes {
  readonly firstResponseSeconds: number;
  readonly resolutionSeconds: number;
}

/** A waiting customer's place in their team's queue and the wait we tell them. */
export interface QueuePlace {
  readonly position: number;
  readonly waitSeconds: number;
}

/** A customer waiting for a person, as the store says (see desk-sync.ts). */
export interface QueueEntry {
  readonly sessionId: string;
  readonly team: string;
  readonly times: TeamTimes;
  /** Remind the customer they are still in the queue this often. */
  readonly remindEveryMs: number;
}

interface Waiting extends QueueEntry {
  lastNotice: number;
  /** When this desk put them in the queue. */
  readonly added: number;
}

/** A queue reminder at least this often, whatever the SLA says. */
export const MIN_REMIND_MS = 10_000;
/** How many recent handling times per team the estimate looks at. */
const HANDLING_KEPT = 20;

export class Desk {
  private readonly queue: Waiting[] = [];
  /** When an agent joined each conversation they have now. */
  private readonly joinedAt = new Map<string, { team: string; at: number }>();
  private readonly handling = new Map<string, number[]>();
  /** Seconds from entering the queue to an agent joining, the latest HANDLING_KEPT, all teams. */
  private readonly responses: number[] = [];
  /** Whether anyone was on duty at the last tick, to tell waiting customers once when that changes. */
  private staffedBefore: boolean | null = null;

  constructor(
    private readonly raise: Raise,
    readonly presence: Presence,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** How many agents can take a conversation now. */
  staffed(now: Date = this.clock()): number {
    return this.presence.onDuty(now).length;
  }

  /** Puts a session at the back of its team's queue (once); returns its place and wait. */
  enqueue(sessionId: string, team: string, times: TeamTimes, remindEveryMs: number, now: number): QueuePlace {
    if (!this.queue.some((w) => w.sessionId === sessionId)) this.queue.push({ sessionId, team, times, remindEveryMs, lastNotice: now, added: now });
    return this.place(sessionId) ?? { position: 1, waitSeconds: times.firstResponseSeconds };
  }

  /** The session's place in its team's queue, from 1; null when it is not waiting. */
  position(sessionId: string): number | null {
    const me = this.queue.find((w) => w.sessionId === sessionId);
    if (!me) return null;
    return this.queue.filter((w) => w.team === me.team).indexOf(me) + 1;
  }

  /** The session's place and the wait to tell them now; null when it is not waiting. */
  place(sessionId: string): QueuePlace | null {
    const me = this.queue.find((w) => w.sessionId === sessionId);
    const position = this.position(sessionId);
    if (!me || position === null) return null;
    const waitSeconds = estimateWait({
      position,
      agentsOnDuty: this.staffed(),
      handlingSeconds: this.handling.get(me.team) ?? [],
      firstResponseSeconds: me.times.firstResponseSeconds,
      resolutionSeconds: me.times.resolutionSeconds,
    });
    return { position, waitSeconds };
  }

  waiting(): readonly { readonly sessionId: string; readonly team: string }[] {
    return this.queue.map(({ sessionId, team }) => ({ sessionId, team }));
  }

  /**
   * Makes the queue what the store says: the customers waiting, in the
   * order they were handed off (at startup; and with several instances,
   * where another instance queues and claims too). One enqueued here after
   * `readAt`, when the store was read, stays: the read may predate it.
   * Nobody is told anything: reminders and header changes keep their own
   * course.
   */
  sync(waiting: readonly QueueEntry[], readAt: number, now: number): void {
    const known = new Map(this.queue.map((w) => [w.sessionId, w]));
    const listed = new Set(waiting.map((w) => w.sessionId));
    const next: Waiting[] = waiting.map((e) => known.get(e.sessionId) ?? { ...e, lastNotice: now, added: now });
    const newer = this.queue.filter((w) => !listed.has(w.sessionId) && w.added > readAt);
    this.queue.splice(0, this.queue.length, ...next, ...newer);
  }

  /** Reminds every customer who has waited another interval, and tells everyone waiting when the last agent goes off duty or one comes back. */
  async tick(now: number): Promise<void> {
    const staffed = this.staffed(new Date(now)) > 0;
    const changed = this.staffedBefore !== null && staffed !== this.staffedBefore;
    this.staffedBefore = staffed;
    if (changed) {
      for (const w of this.queue) w.lastNotice = now;
      await Promise.all(this.queue.map((w) => this.raise(w.sessionId, staffed ? this.holding(w.sessionId, true) : { kind: 'event', name: 'unstaffed' })));
      return;
    }
    const due = this.queue.filter((w) => now - w.lastNotice >= w.remindEveryMs);
    for (const w of due) w.lastNotice = now;
    await Promise.all(due.map((w) => this.raise(w.sessionId, this.holding(w.sessionId, true))));
  }

  /** How soon a person usually joins lately (the median of recent waits, seconds); null before any was seen. */
  typicalReplySeconds(): number | null {
    const sorted = [...this.responses].sort((a, b) => a - b);
    return sorted.length === 0 ? null : (sorted[Math.floor(sorted.length / 2)] as number);
  }

  claim(sessionId: string, agent: string): Promise<void> {
    const waiting = this.queue.find((w) => w.sessionId === sessionId);
    if (waiting) {
      this.responses.push(Math.max(1, (this.clock().getTime() - waiting.added) / 1000));
      if (this.responses.length > HANDLING_KEPT) this.responses.shift();
    }
    const team = waiting?.team;
    if (team !== undefined && !this.joinedAt.has(sessionId)) this.joinedAt.set(sessionId, { team, at: this.clock().getTime() });
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_joined', data: { agent } });
  }

  away(sessionId: string, agent: string): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_away', data: { agent } });
  }

  back(sessionId: string, agent: string): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_back', data: { agent } });
  }

  reply(sessionId: string, agent: string, text: string, file?: StoredFile): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_message', data: { agent, text, ...(file ? { file } : {}) } });
  }

  /** The agent hands the conversation back to the bot. */
  returnToBot(sessionId: string, agent: string): Promise<void> {
    this.handled(sessionId);
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_returned', data: { agent } });
  }

  /** The case is done: the customer gets the survey. */
  resolve(sessionId: string, agent: string): Promise<void> {
    this.handled(sessionId);
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_resolved', data: { agent } });
  }

  /**
   * Takes a session out of the queue (claimed, returned, resolved, cancelled,
   * or the customer ended the chat); everyone behind it in its team's queue
   * sees their new place in the header.
   */
  leave(sessionId: string): void {
    const i = this.queue.findIndex((w) => w.sessionId === sessionId);
    if (i < 0) return;
    const [gone] = this.queue.splice(i, 1);
    const behind = this.queue.slice(i).filter((w) => w.team === gone?.team);
    for (const w of behind) void this.raise(w.sessionId, this.holding(w.sessionId, false)).catch(() => undefined);
  }

  private holding(sessionId: string, remind: boolean): DeskEvent {
    const place = this.place(sessionId);
    return { kind: 'event', name: 'holding', data: { position: place?.position ?? 1, waitSeconds: place?.waitSeconds ?? 0, remind } };
  }

  /** A conversation an agent had is closed: how long it took counts towards the team's next estimates. */
  private handled(sessionId: string): void {
    const joined = this.joinedAt.get(sessionId);
    if (!joined) return;
    this.joinedAt.delete(sessionId);
    const times = [...(this.handling.get(joined.team) ?? []), Math.max(1, (this.clock().getTime() - joined.at) / 1000)];
    this.handling.set(joined.team, times.slice(-HANDLING_KEPT));
  }
}
