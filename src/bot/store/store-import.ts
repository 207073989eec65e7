/**
 * Moving every conversation of one store (the embedded one, opened by its own
 * code) into the PostgreSQL store's tables, then checking the result by
 * counts: for each conversation, the database must hold as many events and
 * messages, up to the same last message number, as the source. What
 * `tact db import-lowdb` runs.
 *
 * Conversations go one at a time, each in its own transaction
 * (pg-import.ts), in id order. An interrupted run leaves whole conversations
 * behind it and none half-written; the next run finds those already there and
 * imports the rest. A database that stops answering ends the run
 * (DatabaseLost); a conversation that cannot be read whole (the source
 * reports damage as it reads it) or that the database refuses is reported,
 * not imported, and the others go on.
 */
import type { Pool } from 'pg';
import { databaseUnavailable, pgReason } from './pg-errors.js';
import { countsOf, describeCounts, importConversation, sameCounts, storedCounts, type ConversationCounts, type ImportOptions, type ImportOutcome } from './pg-import.js';
import { StoreError, type Store, type StoredEvent } from './store.js';

export interface ImportReport {
  /** Conversations in the source. */
  readonly conversations: number;
  /** Conversations written by this run, and their events and messages. */
  readonly imported: number;
  readonly events: number;
  readonly messages: number;
  /** Conversations an earlier run had imported. */
  readonly present: number;
  /** Conversations not imported, each with why (it names the conversation). */
  readonly refused: readonly string[];
  /** Conversations whose counts in the database differ from the source's after the run (refused ones aside). */
  readonly mismatches: readonly string[];
}

export interface StoreImportOptions extends ImportOptions {
  /** Called after each conversation, with how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The database stopped answering (or could not be reached) during the run:
 * the conversations imported before it are kept whole, the one in flight not
 * at all; running the import again finishes it.
 */
export class DatabaseLost extends Error {
  constructor(
    /** What the driver said (pgReason). */
    readonly reason: string,
    /** The conversation being imported, or null when it was lost while verifying. */
    readonly conversation: string | null,
  ) {
    super(`the database stopped answering (${reason})${conversation ? ` while conversation ${conversation} was imported` : ' while the import was verified'}`);
    this.name = 'DatabaseLost';
  }
}

/** True when every conversation is in the database with the source's counts. */
export function verified(report: ImportReport): boolean {
  return report.refused.length === 0 && report.mismatches.length === 0;
}

/**
 * Imports every conversation of `source` into the store tables behind
 * `pool` (already migrated), then verifies them by counts.
 *
 * @example
 *   const report = await importStore(await openLowdbStore(dir), pool);
 *   if (!verified(report)) for (const line of [...report.refused, ...report.mismatches]) console.error(line);
 */
export async function importStore(source: Store, pool: Pool, opts: StoreImportOptions = {}): Promise<ImportReport> {
  const ids = [...(await source.conversations())].sort();
  const run: Run = { expected: new Map(), refused: new Map(), imported: 0, present: 0, events: 0, messages: 0 };
  for (const [i, id] of ids.entries()) {
    await importEach(source, pool, id, run, opts);
    opts.onProgress?.(i + 1, ids.length);
  }
  const mismatches = await verify(pool, run.expected, run.refused, opts);
  const { imported, present, events, messages } = run;
  return { conversations: ids.length, imported, present, events, messages, refused: [...run.refused.values()], mismatches };
}

/** What a run has done so far. */
interface Run {
  /** The source's counts of every conversation it could read. */
  readonly expected: Map<string, ConversationCounts>;
  readonly refused: Map<string, string>;
  imported: number;
  present: number;
  events: number;
  messages: number;
}

async function importEach(source: Store, pool: Pool, id: string, run: Run, opts: ImportOptions): Promise<void> {
  const problemsBefore = source.problems.length;
  const events = await readSource(source, id);
  if (typeof events === 'string') {
    run.refused.set(id, events);
    return;
  }
  // The source set part of it aside as it read it (a damaged file): what is left is not the whole conversation.
  const damage = source.problems.slice(problemsBefore);
  if (damage.length > 0) {
    run.refused.set(id, `conversation ${id} was not imported: reading it found damage in the data directory (${damage.join('; ')})`);
    return;
  }
  const counts = countsOf(events);
  run.expected.set(id, counts);
  const outcome = await importOne(pool, id, events, opts);
  switch (outcome.kind) {
    case 'imported':
      run.imported++;
      run.events += counts.events;
      run.messages += counts.messages;
      return;
    case 'present':
      run.present++;
      return;
    case 'refused':
      run.refused.set(id, outcome.why);
      return;
  }
}

/** A conversation's events, or why it could not be read. */
async function readSource(source: Store, id: string): Promise<readonly StoredEvent[] | string> {
  try {
    return await source.read(id);
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    return `conversation ${id} could not be read from the data directory (${err.message}); it was not imported`;
  }
}

/** One conversation's import; the database refusing this conversation's rows (not being unavailable) refuses the conversation only. */
async function importOne(pool: Pool, id: string, events: readonly StoredEvent[], opts: ImportOptions): Promise<ImportOutcome> {
  try {
    return await importConversation(pool, id, events, opts);
  } catch (err) {
    if (databaseUnavailable(err)) throw new DatabaseLost(pgReason(err), id);
    return { kind: 'refused', why: `PostgreSQL refused conversation ${id} (${pgReason(err)}); nothing of it was kept` };
  }
}

/** A line for each conversation (not already refused) whose counts in the database are not the source's. */
async function verify(pool: Pool, expected: ReadonlyMap<string, ConversationCounts>, refused: ReadonlyMap<string, string>, opts: ImportOptions): Promise<string[]> {
  const stored = await storedCounts(pool, [...expected.keys()], opts).catch((err: unknown) => {
    throw databaseUnavailable(err) ? new DatabaseLost(pgReason(err), null) : err;
  });
  const out: string[] = [];
  for (const [id, want] of expected) {
    if (refused.has(id)) continue;
    const have = stored.get(id);
    if (have && sameCounts(have, want)) continue;
    const there = have ? `has ${describeCounts(have)}` : 'does not hold it';
    out.push(`conversation ${id}: the database ${there}; the data directory has ${describeCounts(want)}`);
  }
  return out;
}
