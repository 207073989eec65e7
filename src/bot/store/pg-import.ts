/**
 * Writing a whole conversation's history into the PostgreSQL store's tables,
 * as `tact db import-lowdb` needs: every event in its order, every message
 * with the number it already has. The store's `append` cannot do this — it
 * numbers each message itself, so a gap left by a failed append in the
 * embedded store would close up, and the widget, which asks for the messages
 * after the last number it shows, would skip or repeat some. This is not part
 * of the Store interface: only an import writes history, every server appends.
 *
 * One conversation is one transaction, holding the conversation's row lock
 * as an append does (so a server appending to the same database waits, then
 * appends after it): a conversation is in the database whole or not at all.
 * A conversation already there with exactly the same counts is left alone,
 * which makes an import that was interrupted safe to run again; one there
 * with other counts is refused and never overwritten or doubled.
 */
import type { Pool, PoolClient } from 'pg';
import { databaseUnavailable } from './pg-errors.js';
import { checkConversationId, eventTime, numberedMessages, type StoredEvent } from './store.js';
import { unfinishedOf } from './unfinished.js';

/** What an import is checked by, on both sides. */
export interface ConversationCounts {
  readonly events: number;
  readonly messages: number;
  /** The last message's number (0 when there is none). */
  readonly lastSeq: number;
}

export type ImportOutcome =
  | { readonly kind: 'imported' }
  /** Already in the database with the same counts (an earlier run imported it): nothing written. */
  | { readonly kind: 'present' }
  /** In the database with other counts: nothing written; `why` names the conversation and both counts. */
  | { readonly kind: 'refused'; readonly why: string };

export interface ImportOptions {
  /** The schema holding the store's tables (migrated already); default public. */
  readonly schema?: string;
}

/** Events inserted per statement: bounds one statement's size for a long log (the Slack outbox's). */
const CHUNK = 1000;

/** A conversation's counts, with messages numbered as every reader numbers them (numberedMessages). */
export function countsOf(events: readonly StoredEvent[]): ConversationCounts {
  let messages = 0;
  let lastSeq = 0;
  for (const { seq } of numberedMessages(events)) {
    messages++;
    lastSeq = seq;
  }
  return { events: events.length, messages, lastSeq };
}

/** The events with every message carrying its number: the one it has, or (stored before messages were numbered) the one its place gives it. */
export function withSeqs(events: readonly StoredEvent[]): StoredEvent[] {
  const seqs = new Map(Array.from(numberedMessages(events), ({ seq, message }) => [message, seq]));
  return events.map((e) => (e.kind === 'message' ? { ...e, seq: seqs.get(e) ?? 0 } : e));
}

export function sameCounts(a: ConversationCounts, b: ConversationCounts): boolean {
  return a.events === b.events && a.messages === b.messages && a.lastSeq === b.lastSeq;
}

export function describeCounts(c: ConversationCounts): string {
  return `${c.events} events, ${c.messages} messages, last message ${c.lastSeq}`;
}

/**
 * Writes conversation `id`'s events (in the order given, messages with the
 * numbers `withSeqs` gives them) and its unfinished state, in one
 * transaction; or finds it already there; or refuses it. Rejects with the
 * driver's error when the database fails (nothing of the conversation kept).
 *
 * @example
 *   const outcome = await importConversation(pool, 'c1', await lowdb.read('c1'));
 *   if (outcome.kind === 'refused') console.error(outcome.why);
 */
export async function importConversation(pool: Pool, id: string, events: readonly StoredEvent[], opts: ImportOptions = {}): Promise<ImportOutcome> {
  checkConversationId(id);
  const sql = statements(opts.schema ?? 'public');
  return inTransaction(pool, async (client) => {
    const created = (await client.query(sql.ensure, [id])).rowCount === 1;
    const locked = await client.query<{ last_seq: number }>(sql.lock, [id]);
    const counted = await client.query<{ events: number; messages: number }>(sql.count, [id]);
    const there: ConversationCounts = { events: counted.rows[0]?.events ?? 0, messages: counted.rows[0]?.messages ?? 0, lastSeq: locked.rows[0]?.last_seq ?? 0 };
    const wanted = countsOf(events);
    if (!created && sameCounts(there, wanted)) return { kind: 'present' };
    if (there.events > 0 || there.lastSeq > 0) {
      return {
        kind: 'refused',
        why: `conversation ${id} is already in the database with ${describeCounts(there)}; the data directory has ${describeCounts(wanted)}; it was not imported (it was written to since, by a server or an earlier import)`,
      };
    }
    await writeHistory(client, sql, id, events);
    return { kind: 'imported' };
  });
}

/**
 * Writes conversation `id`, which the database does not hold yet, inside the
 * caller's transaction: what `tact restore` does for every conversation of a
 * backup in one transaction, into a database it has checked is empty.
 *
 * @example
 *   await insertConversation(client, 'c1', events, { schema: 'public' });
 */
export async function insertConversation(client: PoolClient, id: string, events: readonly StoredEvent[], opts: ImportOptions = {}): Promise<void> {
  checkConversationId(id);
  const sql = statements(opts.schema ?? 'public');
  await client.query(sql.ensure, [id]);
  await writeHistory(client, sql, id, events);
}

/** The events (messages keeping their numbers) and the conversation's row: its last number, unfinished state and last activity. */
async function writeHistory(client: PoolClient, sql: ReturnType<typeof statements>, id: string, events: readonly StoredEvent[]): Promise<void> {
  await insertEvents(client, sql.insert, id, withSeqs(events));
  const state = unfinishedOf(events);
  await client.query(sql.finish, [id, countsOf(events).lastSeq, state.handoffAt, JSON.stringify(state.pendingTurns), lastActivity(events)]);
}

/**
 * The counts the database holds for each of `ids` (an id it does not hold is
 * absent from the map): what an import is verified by, and a restore (on its
 * transaction's client, so it counts what it has not yet committed).
 */
export async function storedCounts(pool: Pool | PoolClient, ids: readonly string[], opts: ImportOptions = {}): Promise<Map<string, ConversationCounts>> {
  const sql = statements(opts.schema ?? 'public');
  const out = new Map<string, ConversationCounts>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await pool.query<{ id: string; last_seq: number; events: number; messages: number }>(sql.counts, [ids.slice(i, i + CHUNK)]);
    for (const r of rows.rows) out.set(r.id, { events: r.events, messages: r.messages, lastSeq: r.last_seq });
  }
  return out;
}

function statements(schema: string) {
  const conversations = `"${schema}".tact_conversations`;
  const events = `"${schema}".tact_events`;
  return {
    ensure: `INSERT INTO ${conversations} (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`,
    lock: `SELECT last_seq FROM ${conversations} WHERE id = $1 FOR UPDATE`,
    count: `SELECT count(*)::int AS events, count(seq)::int AS messages FROM ${events} WHERE conversation = $1`,
    // Rows are inserted in the arrays' order, so event ids (the order `read` returns) follow it.
    insert: `INSERT INTO ${events} (conversation, seq, kind, event)
      SELECT $1, e.seq, e.kind, e.event::json FROM unnest($2::int[], $3::text[], $4::text[]) WITH ORDINALITY AS e (seq, kind, event, n) ORDER BY e.n`,
    finish: `UPDATE ${conversations} SET last_seq = $2, handoff_at = $3, pending_turns = $4::json, last_at = $5 WHERE id = $1`,
    counts: `SELECT c.id, c.last_seq, count(e.id)::int AS events, count(e.seq)::int AS messages
      FROM ${conversations} c LEFT JOIN ${events} e ON e.conversation = c.id WHERE c.id = ANY($1::text[]) GROUP BY c.id, c.last_seq`,
  };
}

/** The latest of the events' times, as the store keeps it for the admin dashboard (null for no event). */
function lastActivity(events: readonly StoredEvent[]): string | null {
  const now = new Date();
  const last = events.reduce((max, e) => Math.max(max, eventTime(e, now).getTime()), Number.NEGATIVE_INFINITY);
  return events.length > 0 ? new Date(last).toISOString() : null;
}

async function insertEvents(client: PoolClient, insert: string, id: string, events: readonly StoredEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    const seqs = chunk.map((e) => (e.kind === 'message' ? (e.seq ?? null) : null));
    await client.query(insert, [id, seqs, chunk.map((e) => e.kind), chunk.map((e) => JSON.stringify(e))]);
  }
}

/** Runs `work` in a transaction and commits it, or rolls it back; a connection that broke is destroyed, not pooled again. */
async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out connection that breaks between statements emits 'error'; the failing statement reports it.
  const swallow = (): void => undefined;
  client.on('error', swallow);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (databaseUnavailable(err)) broken = err instanceof Error ? err : new Error(String(err));
    else await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
    throw err;
  } finally {
    client.off('error', swallow);
    client.release(broken);
  }
}
