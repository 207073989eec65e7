/**
 * The PostgreSQL store's schema, as numbered migrations kept in code (the
 * build compiles TypeScript only: SQL files beside it would not ship), and
 * `migrate`, which applies the ones a database lacks. Every instance runs it
 * at open and `tact db migrate` runs it by hand; it holds a transaction-scoped
 * advisory lock while it works, so instances starting at once wait for each
 * other and every one of them succeeds, and a migration is applied whole or
 * not at all.
 *
 * Events are stored as `json`, not `jsonb`: json keeps the text JSON.stringify
 * wrote, so every string a JavaScript event can hold round-trips (jsonb
 * refuses \u0000 and lone surrogates), and nothing ever queries inside an event.
 * What startup needs (the open handoff, the unfinished turns) is kept per
 * conversation, with `unfinished` computed from it and indexed when true.
 */
import type { Pool, PoolClient } from 'pg';

export interface Migration {
  /** Applied in this order, recorded in tact_migrations; never renumbered or edited once released. */
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'conversations-and-events',
    sql: `
CREATE TABLE tact_conversations (
  id text PRIMARY KEY,
  last_seq integer NOT NULL DEFAULT 0,
  handoff_at text NULL,
  pending_turns json NOT NULL DEFAULT '[]',
  unfinished boolean GENERATED ALWAYS AS (handoff_at IS NOT NULL OR json_array_length(pending_turns) > 0) STORED
);
CREATE INDEX tact_conversations_unfinished ON tact_conversations (id) WHERE unfinished;
CREATE TABLE tact_events (
  id bigserial PRIMARY KEY,
  conversation text NOT NULL REFERENCES tact_conversations (id),
  seq integer NULL,
  kind text NOT NULL,
  event json NOT NULL
);
CREATE UNIQUE INDEX tact_events_message_seq ON tact_events (conversation, seq) WHERE seq IS NOT NULL;
CREATE INDEX tact_events_conversation ON tact_events (conversation, id);
`,
  },
  {
    id: 2,
    name: 'conversation-activity',
    // The admin dashboard reads the conversations active in its window through this index, not every conversation.
    // Rows stored before it take their last event's time (an ISO time as the server writes it; anything else: now).
    sql: `
ALTER TABLE tact_conversations ADD COLUMN last_at timestamptz NULL;
UPDATE tact_conversations c
  SET last_at = CASE WHEN l.at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$' THEN l.at::timestamptz ELSE now() END
  FROM (SELECT DISTINCT ON (conversation) conversation, event->>'at' AS at FROM tact_events ORDER BY conversation, id DESC) l
  WHERE l.conversation = c.id;
CREATE INDEX tact_conversations_last_at ON tact_conversations (last_at);
`,
  },
  {
    id: 3,
    name: 'files',
    // Photos and PDFs sent in a conversation (pg-file-store.ts): read only by conversation and id.
    sql: `
CREATE TABLE tact_files (
  conversation text NOT NULL,
  id text NOT NULL,
  meta json NOT NULL,
  bytes bytea NOT NULL,
  thumb bytea NULL,
  PRIMARY KEY (conversation, id)
);
`,
  },
];

/** The name `tact db migrate` prints: 001-conversations-and-events. */
export function migrationName(m: Migration): string {
  return `${String(m.id).padStart(3, '0')}-${m.name}`;
}

/** A schema name the store accepts: plain lower-case SQL identifiers only, so it is quoted without escaping. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface MigrateOptions {
  /** The schema the pool's connections use (their search_path); created when missing. Default: public. */
  readonly schema?: string;
}

/**
 * Applies the migrations the database lacks, in one transaction under an
 * advisory lock; resolves with the names of those it applied (none when the
 * database was up to date).
 *
 * @example
 *   const applied = await migrate(pool); // ['001-conversations-and-events'] the first time, [] after
 */
export async function migrate(pool: Pool, opts: MigrateOptions = {}): Promise<readonly string[]> {
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`schema ${JSON.stringify(schema)} is not a lower-case SQL identifier`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const applied = await applyMissing(client, schema);
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function applyMissing(client: PoolClient, schema: string): Promise<string[]> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tact migrations in ${schema}`]);
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".tact_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = await client.query<{ id: number }>(`SELECT id FROM "${schema}".tact_migrations`);
  const have = new Set(done.rows.map((r) => r.id));
  const applied: string[] = [];
  await client.query(`SET LOCAL search_path TO "${schema}"`);
  for (const m of MIGRATIONS) {
    if (have.has(m.id)) continue;
    await client.query(m.sql);
    await client.query('INSERT INTO tact_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
    applied.push(migrationName(m));
  }
  return applied;
}
