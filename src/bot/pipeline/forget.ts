/**
 * Taking a customer's personal data out of Tact, for retention and for a
 * customer's request to be forgotten (PIPL art. 47, GDPR art. 17). Each
 * conversation is anonymised in place (core/anonymise.ts) rather than
 * deleted, so the dashboard's counts, handoffs, ratings and response times
 * stay as they were; its pending promises (follow-ups, call-backs, e-mails
 * not yet sent) are cancelled first, its files deleted, and it is marked
 * redacted. Other surfaces that keep a copy (Slack's logs and posts, a
 * running server's sessions in memory) are handed the ids to do the same.
 */
import { anonymised } from '../core/anonymise.js';
import type { CustomerKey } from '../core/customer-key.js';
import type { Logger } from '../log.js';
import type { FileStore } from '../store/file-store.js';
import type { RedactionReason, Store, StoredTask } from '../store/store.js';
import { customerConversations } from './customer-lookup.js';
import { audit } from './privacy-audit.js';

/** The scheduler's tasks, as forgetting needs them (Scheduler has this shape). */
export interface TaskBook {
  pending(): readonly StoredTask[];
  cancel(task: StoredTask): Promise<void>;
}

/** Another place holding copies of conversations, told which ones lost their personal data and why. */
export type Elsewhere = (sessions: ReadonlySet<string>, why: RedactionReason) => Promise<void>;

export interface ForgetDeps {
  readonly store: Store;
  readonly files: FileStore;
  readonly tasks: TaskBook;
  readonly now: () => Date;
  readonly log: Logger | null;
  /** Copies outside the conversations (Slack's posts and logs), cleared before them. */
  readonly elsewhere: readonly Elsewhere[];
  /** What holds the conversations in memory, read again after them (so nothing old is written back); none in the CLI. */
  readonly reread?: (sessions: ReadonlySet<string>) => Promise<void>;
}

export interface Forgotten {
  readonly conversations: number;
  readonly files: number;
  readonly tasks: number;
}

/** Anonymises these conversations everywhere (see the file's comment). */
export async function eraseConversations(deps: ForgetDeps, ids: readonly string[], why: RedactionReason): Promise<Forgotten> {
  let files = 0;
  let tasks = 0;
  const sessions = new Set(ids);
  for (const task of deps.tasks.pending()) {
    if (!('sessionId' in task.job) || !sessions.has(task.job.sessionId)) continue;
    await deps.tasks.cancel(task);
    tasks++;
  }
  // The conversation's text goes last: it is how the customer is found, so a run stopped half-way (a failure, kill -9)
  // finds the same conversations again and finishes the copies and files it did not reach.
  for (const other of deps.elsewhere) await other(sessions, why);
  for (const id of ids) {
    files += await deps.files.removeAll(id);
    await deps.store.redact(id, anonymised);
    await deps.store.append(id, { kind: 'privacy', at: deps.now().toISOString(), op: 'redacted', why });
  }
  await deps.reread?.(sessions);
  return { conversations: ids.length, files, tasks };
}

/**
 * `tact customer forget` and the admin Privacy page: every conversation of
 * the customer (customer-lookup.ts) erased, and the audit told how many (by
 * whom), never whose.
 */
export async function forgetCustomer(deps: ForgetDeps, key: CustomerKey, by: string): Promise<Forgotten> {
  const found = await customerConversations(deps.store, key);
  const done = await eraseConversations(deps, [...found.keys()], 'request');
  await audit(deps.store, deps.log, deps.now(), { action: 'forget', by, conversations: done.conversations, files: done.files });
  return done;
}
