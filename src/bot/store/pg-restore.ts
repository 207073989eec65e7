/**
 * `tact restore FILE --url URL`: a backup (from either store) into the
 * PostgreSQL store, in one transaction. The store's tables are locked
 * (ACCESS EXCLUSIVE, NOWAIT: an instance using them right now makes the
 * restore refuse rather than wait behind it, and one starting meanwhile
 * waits for the commit instead of reading empty tables) and must be empty; every conversation
 * is written with its messages' numbers (pg-import.ts's insertConversation,
 * as `tact db import-lowdb` writes them) and every file; once the backup
 * has verified (backup-reader.ts) the counts are read back inside the same
 * transaction (restore-check.ts) and only then committed. Anything wrong
 * rolls it all back: the database holds the whole backup or none of it.
 *
 * A database is live when another Tact process is connected to it
 * (application_name 'tact', which every Tact pool sets): refused. An idle
 * instance's pool may have closed its connections, so the table lock and
 * the emptiness check are what guarantee nothing is mixed in. A database
 * whose tables existed before this command is restored into only with
 * `allowEmpty` (--allow-empty), as an existing data directory is.
 */
import pg, { type Pool, type PoolClient } from 'pg';
import { BackupError } from './backup-format.js';
import { readBackup, type BackupItem } from './backup-reader.js';
import { pgReason } from './pg-errors.js';
import { countsOf, insertConversation, storedCounts, type ConversationCounts } from './pg-import.js';
import { MIGRATIONS } from './pg-migrations.js';
import { verifyRestored, type RestoreReport } from './restore-check.js';
import type { RestoreOptions } from './lowdb-restore.js';

export interface RestoreDatabase {
  readonly pool: Pool;
  readonly schema: string;
  /** As printed (password redacted). */
  readonly shown: string;
  /** Migrations this command applied: all of them means the store's tables did not exist before. */
  readonly applied: readonly string[];
}

/**
 * Restores `file` into the store tables behind `db.pool` (migrated).
 *
 * @example
 *   await withDatabase(target, (db) => restoreIntoDatabase('/backups/tact.tact.gz', db));
 */
export async function restoreIntoDatabase(file: string, db: RestoreDatabase, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const client = await db.pool.connect();
  const swallow = (): void => undefined;
  client.on('error', swallow);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await checkTarget(client, db, opts.allowEmpty ?? false);
    const staged = new Staged(client, db.schema);
    const header = await readBackup(file, (item) => staged.take(item));
    await staged.verify(db.shown);
    await client.query('COMMIT');
    return { header, counts: header.counts, secret: staged.secret ? 'not-restored' : 'none' };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
    if (err instanceof BackupError) throw err;
    throw new BackupError('RESTORE_FAILED', `the database at ${db.shown} refused the restore or stopped answering (${pgReason(err)}); it was rolled back, nothing was restored`);
  } finally {
    client.off('error', swallow);
    client.release(broken);
  }
}

function tables(schema: string) {
  return { conversations: `"${schema}".tact_conversations`, events: `"${schema}".tact_events`, files: `"${schema}".tact_files` };
}

async function checkTarget(client: PoolClient, db: RestoreDatabase, allowEmpty: boolean): Promise<void> {
  const others = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tact' AND pid <> pg_backend_pid()`);
  if ((others.rows[0]?.n ?? 0) > 0) throw liveError(db);
  const t = tables(db.schema);
  try {
    await client.query(`LOCK TABLE ${t.conversations}, ${t.events}, ${t.files} IN ACCESS EXCLUSIVE MODE NOWAIT`);
  } catch (err) {
    if (err instanceof pg.DatabaseError && err.code === '55P03') throw liveError(db);
    throw err;
  }
  const held = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${t.conversations}) OR EXISTS (SELECT 1 FROM ${t.files}) AS any`);
  if (held.rows[0]?.any) throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `the database at ${db.shown} already holds conversations or files; nothing was restored (restore into a new database)`);
  const existed = db.applied.length < MIGRATIONS.length;
  if (existed && !allowEmpty) {
    throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `the database at ${db.shown} already has Tact's tables (it holds nothing); pass --allow-empty to restore into it; nothing was restored`);
  }
}

function liveError(db: RestoreDatabase): BackupError {
  return new BackupError('RESTORE_TARGET_LIVE', `another Tact process is using the database at ${db.shown}; a restore never writes into a live store (stop the instances, or restore into a new database); nothing was restored`);
}

/** What the transaction holds so far, written as each item of the backup is read. */
class Staged {
  readonly expected = new Map<string, ConversationCounts>();
  private files = 0;
  secret = false;

  constructor(
    private readonly client: PoolClient,
    private readonly schema: string,
  ) {}

  async take(item: BackupItem): Promise<void> {
    switch (item.kind) {
      case 'conversation':
        await insertConversation(this.client, item.id, item.events, { schema: this.schema });
        this.expected.set(item.id, countsOf(item.events));
        return;
      case 'file': {
        const { conversation, meta, bytes, thumb } = item.file;
        await this.client.query(`INSERT INTO ${tables(this.schema).files} (conversation, id, meta, bytes, thumb) VALUES ($1, $2, $3, $4, $5)`, [conversation, meta.id, JSON.stringify(meta), bytes, thumb]);
        this.files++;
        return;
      }
      case 'secret':
        // Instances sharing a database sign sessions with TACT_SESSION_SECRET (configuration); the command says so.
        this.secret = true;
        return;
    }
  }

  async verify(shown: string): Promise<void> {
    const t = tables(this.schema);
    const ids = (await this.client.query<{ id: string }>(`SELECT id FROM ${t.conversations}`)).rows.map((r) => r.id);
    const restored = await storedCounts(this.client, ids, { schema: this.schema });
    const files = (await this.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.files}`)).rows[0]?.n ?? 0;
    verifyRestored(`the database at ${shown}`, this.expected, restored, { expected: this.files, restored: files });
  }
}
