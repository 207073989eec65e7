/**
 * A consistent snapshot of the PostgreSQL store for `tact backup`, while
 * instances keep appending: everything is read in one REPEATABLE READ, READ
 * ONLY transaction, so every query sees the database as of its first
 * statement (PostgreSQL's snapshot isolation) — the counts, every
 * conversation's events and every file agree with each other, and an
 * append committed after the snapshot began is in none of them. Nothing is
 * locked: appends never wait for a backup. The same logical format as the
 * embedded store's backup (backup-format.ts), not pg_dump's, so either
 * store can be restored from either.
 */
import type { Pool, PoolClient } from 'pg';
import { BackupError, type BackupCounts, type BackupFile } from './backup-format.js';
import type { Snapshot } from './backup-writer.js';
import type { StoredEvent, StoredFile } from './store.js';

/**
 * Runs `work` on a snapshot of the store's tables in `schema` (migrated),
 * inside the snapshot's transaction, which ends when `work` does.
 *
 * @example
 *   await withPgSnapshot(pool, 'public', (snapshot) => writeBackup('/backups/tact.tact.gz', snapshot));
 */
export async function withPgSnapshot<T>(pool: Pool, schema: string, work: (snapshot: Snapshot) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out connection that breaks between statements emits 'error'; the failing statement reports it.
  const swallow = (): void => undefined;
  client.on('error', swallow);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const sql = statements(schema);
    const counts = await countsIn(client, sql.counts);
    const result = await work(snapshotOf(client, sql, counts));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
    throw err;
  } finally {
    client.off('error', swallow);
    client.release(broken);
  }
}

function statements(schema: string) {
  const conversations = `"${schema}".tact_conversations`;
  const events = `"${schema}".tact_events`;
  const files = `"${schema}".tact_files`;
  return {
    counts: `SELECT (SELECT count(DISTINCT conversation) FROM ${events})::int AS conversations, (SELECT count(*) FROM ${events})::int AS events,
      (SELECT count(*) FROM ${events} WHERE kind = 'message')::int AS messages, (SELECT count(*) FROM ${files})::int AS files`,
    conversations: `SELECT c.id FROM ${conversations} c WHERE EXISTS (SELECT 1 FROM ${events} e WHERE e.conversation = c.id) ORDER BY c.id`,
    events: `SELECT id, event FROM ${events} WHERE conversation = $1 ORDER BY id`,
    files: `SELECT conversation, id FROM ${files} ORDER BY conversation, id`,
    file: `SELECT meta, bytes, thumb FROM ${files} WHERE conversation = $1 AND id = $2`,
  };
}

type Statements = ReturnType<typeof statements>;

async function countsIn(client: PoolClient, text: string): Promise<BackupCounts> {
  const row = (await client.query<BackupCounts>(text)).rows[0];
  return row ?? { conversations: 0, events: 0, messages: 0, files: 0 };
}

function snapshotOf(client: PoolClient, sql: Statements, counts: BackupCounts): Snapshot {
  return {
    source: 'postgres',
    counts,
    // Sessions are signed with TACT_SESSION_SECRET when instances share a database: configuration, not data.
    secret: null,
    async *conversations() {
      const ids = await client.query<{ id: string }>(sql.conversations);
      for (const { id } of ids.rows) {
        const rows = await client.query<{ id: string; event: unknown }>(sql.events, [id]);
        yield { id, events: rows.rows.map((r) => storedEvent(r.event, id, r.id)) };
      }
    },
    async *files() {
      const keys = await client.query<{ conversation: string; id: string }>(sql.files);
      for (const { conversation, id } of keys.rows) {
        const row = (await client.query<{ meta: StoredFile; bytes: Buffer; thumb: Buffer | null }>(sql.file, [conversation, id])).rows[0];
        if (!row) throw new BackupError('BACKUP_SOURCE', `tact_files row ${conversation}/${id} vanished inside the snapshot; nothing was written`);
        const file: BackupFile = { conversation, meta: row.meta, bytes: row.bytes, thumb: row.thumb };
        yield file;
      }
    },
  };
}

/** An event as the store wrote it: an object with a kind, else the backup stops naming the row (the store refuses to read it too). */
function storedEvent(value: unknown, conversation: string, rowId: string): StoredEvent {
  if (typeof value !== 'object' || value === null || typeof (value as { kind?: unknown }).kind !== 'string') {
    throw new BackupError('BACKUP_SOURCE', `tact_events row ${rowId} (conversation ${conversation}) is not an event; nothing was written (the store cannot read it either)`);
  }
  // Written by the store from a StoredEvent; only the outline is checked, as the store checks it.
  return value as StoredEvent;
}
