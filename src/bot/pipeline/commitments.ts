/**
 * What Tact tells a customer will happen later, kept: each promise with a
 * time on it is a task in the store (scheduler.ts), run once when due.
 *
 *   follow-up  the 回访 the complaint confirmation promises: once an agent resolves a complaint,
 *              the escalation matrix's `followUp` later the conversation is marked, a customer
 *              with the chat open is asked at once and one who left when they come back
 *              (scripts/follow-up.ts), and the case's owner hears of it (to call, when the
 *              customer left contact details)
 *   call-back  a message left outside service hours was promised an answer when the team is
 *              back: at opening time, if nobody has taken it yet, the team is reminded
 *   retention  the daily anonymising of conversations older than TACT_RETENTION_DAYS (retention.ts)
 *
 * A job may run twice (a crash after it ran, before its task was settled):
 * the follow-up checks the store first and marks and tells once; a
 * call-back reminder may then reach the team twice, which does no harm.
 */
import { openHandoff, replay, type HandoffInfo } from '../core/handoff.js';
import type { Duration } from '../../kb/types.js';
import { numberedMessages, type Store, type StoredTask } from '../store/store.js';
import type { AgentSurface } from './agents.js';
import type { Scheduler } from './scheduler.js';
import type { SessionBook } from './sessions.js';
import type { Inbound } from './turn-io.js';
import { consentedEmail, REPLIES_AFTER_MS, type CustomerMail } from './customer-mail.js';

/** What scripts see: promise something for later. */
export interface Commitments {
  /** The follow-up of the complaint `handoff`, resolved `at`, due `after` that. */
  followUp(sessionId: string, handoff: HandoffInfo, after: Duration, at: Date): Promise<void>;
  /** An answer to the message `handoff` left while the team was away, due when it is back (`due`). */
  callBack(sessionId: string, handoff: HandoffInfo, due: Date): Promise<void>;
  /** An agent wrote to the customer: if they are away and gave an e-mail address, it is mailed a little later (customer-mail.ts). */
  repliedWhileAway(sessionId: string): Promise<void>;
  /** The customer asked for the conversation by e-mail, giving the address with their request: mailed at once, unless it cannot be. */
  mailTranscript(sessionId: string): Promise<TranscriptRequest>;
}

/** What became of a request for the transcript: on its way, no e-mail set up, or asked for too often today. */
export type TranscriptRequest = 'sending' | 'unavailable' | 'too_many';

/**
 * Transcripts one conversation may have mailed in a day: enough to fix a typo in the address, too few for
 * the chat to serve as a relay that mails a stranger the words anyone typed (the address is not verified).
 */
export const TRANSCRIPTS_PER_DAY = 3;
const DAY_MS = 24 * 3600_000;

/** Nothing kept for later (a one-off terminal chat: nobody is there days later, and no e-mail). */
export const NO_COMMITMENTS: Commitments = {
  followUp: () => Promise.resolve(),
  callBack: () => Promise.resolve(),
  repliedWhileAway: () => Promise.resolve(),
  mailTranscript: () => Promise.resolve('unavailable'),
};

export interface CommitmentDeps {
  readonly store: Store;
  readonly sessions: SessionBook;
  readonly now: () => Date;
  /** Whether the customer has the chat open now (on any instance). */
  readonly listening: (sessionId: string) => Promise<boolean>;
  readonly receive: (sessionId: string, input: Inbound) => Promise<void>;
  /** Where the team hears that a promise is due (Slack). */
  readonly agents: Pick<AgentSurface, 'followUpDue' | 'callBackDue'>;
  /** E-mail to customers who gave an address with consent; null without TACT_SMTP_URL. */
  readonly mail: CustomerMail | null;
  /** The daily retention run (retention.ts); absent when data is kept for ever (TACT_RETENTION_DAYS=off). */
  readonly retention?: (task: StoredTask) => Promise<void>;
}

export class ScheduledCommitments implements Commitments {
  private scheduler: Scheduler | null = null;

  constructor(private readonly deps: CommitmentDeps) {}

  /** The scheduler that keeps the promises (it runs `run`, so it is made after this). */
  use(scheduler: Scheduler): void {
    this.scheduler = scheduler;
  }

  async followUp(sessionId: string, handoff: HandoffInfo, after: Duration, at: Date): Promise<void> {
    await this.schedule({ kind: 'followup', sessionId, ticket: handoff.ticket, team: handoff.team }, new Date(at.getTime() + after.seconds * 1000));
  }

  async callBack(sessionId: string, handoff: HandoffInfo, due: Date): Promise<void> {
    await this.schedule({ kind: 'callback', sessionId, ticket: handoff.ticket, team: handoff.team }, due);
  }

  async repliedWhileAway(sessionId: string): Promise<void> {
    if (!this.deps.mail || !this.scheduler || (await this.deps.listening(sessionId))) return;
    // One e-mail for a burst of replies: it carries every reply the customer has not been sent.
    if (this.scheduler.pending().some((t) => t.job.kind === 'mail' && t.job.sessionId === sessionId && t.job.what === 'replies')) return;
    await this.schedule({ kind: 'mail', sessionId, what: 'replies' }, new Date(this.deps.now().getTime() + REPLIES_AFTER_MS));
  }

  async mailTranscript(sessionId: string): Promise<TranscriptRequest> {
    if (!this.deps.mail || !this.scheduler) return 'unavailable';
    const since = this.deps.now().getTime() - DAY_MS;
    const events = await this.deps.store.read(sessionId);
    const sent = events.filter((e) => e.kind === 'mail' && e.what === 'transcript' && Date.parse(e.at) > since).length;
    const queued = this.scheduler.pending().filter((t) => t.job.kind === 'mail' && t.job.sessionId === sessionId && t.job.what === 'transcript').length;
    if (sent + queued >= TRANSCRIPTS_PER_DAY) return 'too_many';
    // The request is stored before its turn runs: it is the last message, and the transcript ends with it.
    const upTo = [...numberedMessages(events)].at(-1)?.seq ?? 0;
    await this.schedule({ kind: 'mail', sessionId, what: 'transcript', upTo }, this.deps.now());
    // Sent now when this process runs tasks; elsewhere the leader's next tick sends it.
    this.scheduler.tickSoon();
    return 'sending';
  }

  /** The scheduler's job: runs a task by its kind. */
  readonly run = async (task: StoredTask): Promise<void> => {
    const job = task.job;
    switch (job.kind) {
      case 'followup':
        return this.followUpDue(task, job.sessionId, job.ticket);
      case 'callback':
        return this.callBackDue(job.sessionId, job.ticket);
      case 'mail':
        // Mail settings removed since it was scheduled: nothing to send it with.
        return this.deps.mail?.send(task, job);
      case 'retention':
        // Retention switched off since it was scheduled: nothing to do, and no next run.
        return this.deps.retention?.(task);
    }
  };

  private schedule(job: StoredTask['job'], due: Date): Promise<unknown> {
    if (!this.scheduler) throw new Error('commitments have no scheduler');
    return this.scheduler.schedule(job, due);
  }

  private async followUpDue(task: StoredTask, sessionId: string, ticket: string): Promise<void> {
    const events = await this.deps.store.read(sessionId);
    if (!events.some((e) => e.kind === 'followup' && e.task === task.id)) {
      // Another instance may hold the session: the mark goes to the store, and memory here catches up from it.
      await this.deps.store.append(sessionId, { kind: 'followup', at: this.deps.now().toISOString(), op: 'due', task: task.id, ticket });
      await this.deps.sessions.refresh(sessionId);
      // Contact details left at intake mean a call is due too (the standard's 回访 is a call); the agents hear of it once.
      const call = events.some((e) => e.kind === 'handoff' && e.ticket === ticket && (e.details['contact'] ?? '') !== '');
      await this.deps.agents.followUpDue(sessionId, ticket, call);
    }
    if (await this.deps.listening(sessionId)) return this.deps.receive(sessionId, { kind: 'event', name: 'followup' });
    // Away, with an e-mail address given: asked now in the chat, and the question mailed (their reply comes back into the chat).
    if (!this.deps.mail || consentedEmail(events) === null) return;
    await this.deps.receive(sessionId, { kind: 'event', name: 'followup' });
    await this.schedule({ kind: 'mail', sessionId, what: 'followup' }, this.deps.now());
  }

  /** Only a message still waiting for anyone (not claimed, not closed, not replaced by a newer handoff) needs the reminder. */
  private async callBackDue(sessionId: string, ticket: string): Promise<void> {
    const state = replay(await this.deps.store.read(sessionId));
    if (state.kind === 'message' && openHandoff(state)?.ticket === ticket) await this.deps.agents.callBackDue(sessionId, ticket);
  }
}
