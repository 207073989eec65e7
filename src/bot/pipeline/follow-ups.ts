/**
 * The follow-up (回访) promised when a complaint is filed: once an agent
 * resolves it, a task is stored for the escalation matrix's `followUp`
 * time later (scheduler.ts). When it comes due, the conversation is marked
 * (a `followup` event, the session's `followUp`), and a customer who has
 * the chat open is asked at once; one who left is asked when they come
 * back (scripts/follow-up.ts). Marking twice is harmless: a task run again
 * after a crash finds its mark and only asks.
 */
import type { HandoffInfo } from '../core/handoff.js';
import type { Duration } from '../../kb/types.js';
import type { StoredTask } from '../store/store.js';
import type { Store } from '../store/store.js';
import type { Scheduler } from './scheduler.js';
import type { SessionBook } from './sessions.js';
import type { Inbound } from './turn-io.js';
import type { AgentSurface } from './agents.js';

/** What scripts see: promise a follow-up. */
export interface FollowUpPromises {
  /** Schedules the follow-up of the complaint `handoff` of this session, resolved `at`. */
  promise(sessionId: string, handoff: HandoffInfo, after: Duration, at: Date): Promise<void>;
}

/** No follow-ups (a channel without a scheduler, such as a one-off terminal chat). */
export const NO_FOLLOW_UPS: FollowUpPromises = { promise: () => Promise.resolve() };

export interface FollowUpDeps {
  readonly store: Store;
  readonly sessions: SessionBook;
  readonly now: () => Date;
  /** Whether the customer has the chat open now (on any instance). */
  readonly listening: (sessionId: string) => Promise<boolean>;
  readonly receive: (sessionId: string, input: Inbound) => Promise<void>;
  /** Where the case's owner hears that the follow-up is due (Slack), and whether to call. */
  readonly agents: Pick<AgentSurface, 'followUpDue'>;
}

export class FollowUps implements FollowUpPromises {
  private scheduler: Scheduler | null = null;

  constructor(private readonly deps: FollowUpDeps) {}

  /** The scheduler that keeps the promises (it runs `run`, so it is made after this). */
  use(scheduler: Scheduler): void {
    this.scheduler = scheduler;
  }

  async promise(sessionId: string, handoff: HandoffInfo, after: Duration, at: Date): Promise<void> {
    if (!this.scheduler) throw new Error('follow-ups have no scheduler');
    await this.scheduler.schedule({ kind: 'followup', sessionId, ticket: handoff.ticket, team: handoff.team }, new Date(at.getTime() + after.seconds * 1000));
  }

  /** The scheduler's job for a follow-up task. */
  readonly run = async (task: StoredTask): Promise<void> => {
    const { sessionId, ticket } = task.job;
    const events = await this.deps.store.read(sessionId);
    if (!events.some((e) => e.kind === 'followup' && e.task === task.id)) {
      // Another instance may hold the session: the mark goes to the store, and memory here catches up from it.
      await this.deps.store.append(sessionId, { kind: 'followup', at: this.deps.now().toISOString(), op: 'due', task: task.id, ticket });
      await this.deps.sessions.refresh(sessionId);
      // Contact details left at intake mean a call is due too (the standard's 回访 is a call); the agents hear of it once.
      const call = events.some((e) => e.kind === 'handoff' && e.ticket === ticket && (e.details['contact'] ?? '') !== '');
      await this.deps.agents.followUpDue(sessionId, ticket, call);
    }
    if (await this.deps.listening(sessionId)) await this.deps.receive(sessionId, { kind: 'event', name: 'followup' });
  };
}
