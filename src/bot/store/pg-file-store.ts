/**
 * Files on PostgreSQL (migration 3, tact_files), so every instance serves
 * every file. A file and its description are one row, written by one
 * statement: it is there whole or not at all. Its own small pool, so a
 * large upload never holds a connection the conversation store needs.
 */
import type { Pool } from 'pg';
import { databaseUrlProblem, redactedUrl } from './database-url.js';
import { checkFileKey, type FileStore, type FileVariant, type StoredFile } from './file-store.js';
import { pgReason } from './pg-errors.js';
import { migrate, SCHEMA_NAME } from './pg-migrations.js';
import { createPool } from './pg-pool.js';
import { checkConversationId, StoreError } from './store.js';

const POOL_SIZE = 4;

export async function openPgFileStore(url: string, schema = 'public'): Promise<FileStore> {
  const problem = databaseUrlProblem(url);
  if (problem) throw new StoreError('STORE_UNWRITABLE', problem);
  if (!SCHEMA_NAME.test(schema)) throw new StoreError('STORE_UNWRITABLE', `schema ${JSON.stringify(schema.slice(0, 80))} is not a lower-case SQL identifier`);
  const pool = createPool(url, { maxConnections: POOL_SIZE });
  pool.on('error', () => undefined);
  try {
    await migrate(pool, { schema });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StoreError('STORE_UNWRITABLE', `the database at ${redactedUrl(url)} could not be prepared for files (${pgReason(err)})`);
  }
  return new PgFileStore(pool, schema);
}

class PgFileStore implements FileStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async put(conversationId: string, meta: StoredFile, bytes: Buffer, thumb: Buffer | null): Promise<void> {
    checkFileKey(conversationId, meta.id);
    await this.pool.query(`INSERT INTO "${this.schema}".tact_files (conversation, id, meta, bytes, thumb) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conversation, id) DO NOTHING`, [conversationId, meta.id, JSON.stringify(meta), bytes, thumb]);
  }

  async meta(conversationId: string, id: string): Promise<StoredFile | null> {
    checkFileKey(conversationId, id);
    const r = await this.pool.query<{ meta: StoredFile }>(`SELECT meta FROM "${this.schema}".tact_files WHERE conversation = $1 AND id = $2`, [conversationId, id]);
    return r.rows[0]?.meta ?? null;
  }

  async read(conversationId: string, id: string, variant: FileVariant): Promise<Buffer | null> {
    checkFileKey(conversationId, id);
    const column = variant === 'file' ? 'bytes' : 'thumb';
    const r = await this.pool.query<{ data: Buffer | null }>(`SELECT ${column} AS data FROM "${this.schema}".tact_files WHERE conversation = $1 AND id = $2`, [conversationId, id]);
    return r.rows[0]?.data ?? null;
  }

  async removeAll(conversationId: string): Promise<number> {
    checkConversationId(conversationId);
    const r = await this.pool.query(`DELETE FROM "${this.schema}".tact_files WHERE conversation = $1`, [conversationId]);
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
