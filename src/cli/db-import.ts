/**
 * `tact db import-lowdb DATA_DIR [--url URL] [--schema NAME]`: moves the
 * embedded store's conversations into PostgreSQL, so a shop can run several
 * instances on the database without losing its history. The data directory
 * is read by the embedded store's own code, which takes its lock: while a
 * server runs on it the import is refused (STORE_LOCKED), so nothing is
 * appended behind the import's back. Every conversation (the Slack outbox,
 * cards and agent duty logs too) is imported whole in its own transaction,
 * messages keeping their numbers (store-import.ts, pg-import.ts).
 *
 * Safe to run again: conversations already imported are skipped, so an
 * interrupted run (Ctrl-C, kill -9, the database going away) is finished by
 * the next one; a conversation written to in the database since is refused,
 * never overwritten. Exit 0 only when every conversation is in the database
 * with the data directory's counts (events, messages, last message number);
 * 1 with the list of those that are not; 2 for a wrong directory or URL.
 */
import { isDataDir } from '../bot/store/data-dir.js';
import { openLowdbStore } from '../bot/store/lowdb-store.js';
import { DatabaseLost, importStore, verified, type ImportReport } from '../bot/store/store-import.js';
import { StoreError, type Store } from '../bot/store/store.js';
import { DbRefusal, unreachable, withDatabase, type Database, type DatabaseTarget } from './database.js';

/** Progress is printed every this many conversations. */
const PROGRESS_EVERY = 1000;

export async function importLowdbCommand(dataDir: string, target: DatabaseTarget): Promise<number> {
  if (!(await isDataDir(dataDir))) throw new DbRefusal(`${dataDir} is not a Tact data directory (it has no conversations folder); nothing was imported (DB_NO_DATA_DIR)`, 2);
  return withDatabase(target, async (db) => {
    for (const name of db.applied) process.stdout.write(`${db.shown}: applied ${name}\n`);
    const source = await openSource(dataDir);
    try {
      return await importAll(source, db, dataDir);
    } finally {
      await source.close();
    }
  });
}

/** The embedded store on the data directory; refused while a server holds it. */
async function openSource(dataDir: string): Promise<Store> {
  try {
    return await openLowdbStore(dataDir);
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    // The lock's own advice (another data directory) does not apply to an import.
    if (err.code === 'STORE_LOCKED') throw new DbRefusal(`${err.message.split('; stop it')[0] ?? err.message}; stop the server first, then import (STORE_LOCKED)`, 1);
    throw new DbRefusal(`${err.message}; nothing was imported (${err.code})`, 1);
  }
}

async function importAll(source: Store, db: Database, dataDir: string): Promise<number> {
  process.stdout.write(`${dataDir} → ${db.shown}${db.schema === 'public' ? '' : ` (schema ${db.schema})`}\n`);
  let done = 0;
  const onProgress = (n: number, total: number): void => {
    done = n;
    if (n % PROGRESS_EVERY === 0 && n < total) process.stderr.write(`tact: ${n} of ${total} conversations done\n`);
  };
  let report: ImportReport;
  try {
    report = await importStore(source, db.pool, { schema: db.schema, onProgress });
  } catch (err) {
    if (!(err instanceof DatabaseLost)) throw err;
    const where = err.conversation === null ? ' while verifying' : ` at conversation ${err.conversation}`;
    throw unreachable(db, err.reason, `${where}; the ${done} conversations before it are imported whole, run the command again to import the rest`);
  }
  const quarantined = source.health().quarantined;
  if (quarantined > 0) process.stderr.write(`tact: the data directory has ${quarantined} conversation file(s) set aside under quarantine/ (unreadable); they are not part of the store and were not imported\n`);
  // Damage found while reading a conversation is already named by its refusal.
  return summarize(report, source.problems.filter((p) => !report.refused.some((line) => line.includes(p))));
}

/** Prints the summary; 0 only when every conversation is verified and the data directory read without damage. */
function summarize(r: ImportReport, damage: readonly string[]): number {
  process.stdout.write(
    `${r.conversations} conversations: ${r.imported} imported (${r.events} events, ${r.messages} messages), ${r.present} already there, ${r.refused.length} refused\n`,
  );
  for (const why of r.refused) process.stderr.write(`tact: refused: ${why}\n`);
  for (const line of r.mismatches) process.stderr.write(`tact: not verified: ${line}\n`);
  for (const problem of damage) process.stderr.write(`tact: the data directory: ${problem}\n`);
  if (verified(r) && damage.length === 0) {
    process.stdout.write(`verified: every conversation is in the database with the same events, messages and last message number\n`);
    return 0;
  }
  const failed = r.refused.length + r.mismatches.length;
  if (failed > 0) process.stderr.write(`tact: ${failed} of ${r.conversations} conversations are not verified; nothing was overwritten (DB_IMPORT_UNVERIFIED)\n`);
  if (damage.length > 0) process.stderr.write(`tact: the data directory has damage that was set aside, not imported; see \`tact store check\` (DB_IMPORT_SOURCE_DAMAGED)\n`);
  return 1;
}
