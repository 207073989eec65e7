/**
 * Keeping customers' data no longer than needed (PIPL art. 19, GDPR art.
 * 5(1)(e)): once a day the scheduler's retention task anonymises every
 * conversation whose last activity is older than TACT_RETENTION_DAYS
 * (forget.ts: text and contact details out, files deleted, statistics
 * kept), then stores the next day's task. Run by whoever runs the
 * scheduler's tasks (alone, or the cluster's leader); a conversation
 * already anonymised, with nothing said since, is left alone.
 */
import { isCustomerConversation } from '../core/anonymise.js';
import { eventTime, type StoredEvent, type StoredTask } from '../store/store.js';
import { eraseConversations, type ForgetDeps } from './forget.js';
import { audit } from './privacy-audit.js';

export const DAY_MS = 24 * 3600_000;
/** Retention tasks run this long apart. */
const EVERY_MS = DAY_MS;

/** What the scheduler is to the retention job: it stores the next run. */
export interface RetentionScheduler {
  pending(): readonly StoredTask[];
  schedule(job: { readonly kind: 'retention' }, due: Date): Promise<unknown>;
}

export class Retention {
  constructor(
    private readonly deps: ForgetDeps,
    private readonly days: number,
    private readonly scheduler: RetentionScheduler,
  ) {}

  /** At start: a retention task is stored (due now) unless one is pending already. */
  async ensureScheduled(): Promise<void> {
    if (this.scheduler.pending().some((t) => t.job.kind === 'retention')) return;
    await this.scheduler.schedule({ kind: 'retention' }, this.deps.now());
  }

  /** The scheduler's job: one run, then the next one stored (unless another instance stored one already). */
  async run(task: StoredTask): Promise<void> {
    await this.anonymiseOld();
    if (this.scheduler.pending().some((t) => t.job.kind === 'retention' && t.id !== task.id)) return;
    await this.scheduler.schedule({ kind: 'retention' }, new Date(this.deps.now().getTime() + EVERY_MS));
  }

  /** Anonymises every conversation inactive for longer than the retention period; resolves with how many. */
  async anonymiseOld(): Promise<number> {
    const { store } = this.deps;
    const cutoff = new Date(this.deps.now().getTime() - this.days * DAY_MS);
    // Conversations not listed as active since the cutoff certainly had nothing appended since; listed ones are checked next run.
    const active = new Set(await store.conversations({ activeSince: cutoff }));
    // Promises still to keep are kept, however old: a follow-up, call-back or e-mail still due. (A handoff nobody touched
    // for the whole retention period, at least a week, is not one: it was abandoned.)
    const open = new Set(this.scheduler.pending().flatMap((t) => ('sessionId' in t.job ? [t.job.sessionId] : [])));
    const old: string[] = [];
    for (const id of await store.conversations()) {
      if (active.has(id) || open.has(id)) continue;
      const events = await store.read(id);
      if (isCustomerConversation(events) && !redactedSinceLastWord(events) && lastActivity(events) < cutoff.getTime()) old.push(id);
    }
    if (old.length === 0) return 0;
    const done = await eraseConversations(this.deps, old, 'retention');
    await audit(store, this.deps.log, this.deps.now(), { action: 'retention', by: 'retention', conversations: done.conversations, files: done.files });
    return old.length;
  }
}

/** The time of the conversation's last event other than a redaction mark. */
function lastActivity(events: readonly StoredEvent[]): number {
  let last = 0;
  for (const e of events) if (e.kind !== 'privacy') last = Math.max(last, eventTime(e, new Date(0)).getTime());
  return last;
}

function redactedSinceLastWord(events: readonly StoredEvent[]): boolean {
  const last = events.at(-1);
  return last?.kind === 'privacy' && last.op === 'redacted';
}
