/**
 * The Store on PostgreSQL, so several Tact instances can share one store. The
 * schema is in pg-migrations.ts, applied at open: a row per conversation
 * (last message number, open handoff, unfinished turns) and a row per event.
 *
 * Appends are group-committed: those arriving together (up to MAX_BATCH,
 * and about 8 MB of statements) are written in one transaction, as BEGIN
 * and then one query holding a statement per append and the COMMIT, so a
 * batch costs two round trips and one commit however many appends it
 * holds. Each statement makes or updates
 * its conversation's row, which locks it until COMMIT: appends to one
 * conversation are serialised across instances, so message numbers never
 * repeat and event ids grow in append order, which is the order `read`
 * returns. Within an instance, appends to a conversation are also queued in
 * call order (keyed-queue.ts), so an instance's own appends land in the
 * order it made them. An append resolves only after COMMIT; when PostgreSQL
 * refuses one statement, the batch is rolled back and its appends written
 * one by one, so only that one fails.
 *
 * When the database cannot be reached, appends are refused with
 * STORE_UNWRITABLE and health() is degraded; the store probes the database
 * until it answers, and the pool makes new connections then, so it recovers
 * by itself. A batch that certainly did not commit (the connection failed
 * before it was sent, or PostgreSQL answered that it failed) is retried
 * once on a fresh connection.
 */
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '../log.js';
import { KeyedQueue } from './keyed-queue.js';
import { withLiterals } from './pg-literal.js';
import { appendValues, statements } from './pg-statements.js';
import { NotCommitted, selfCommitting } from './pg-transaction.js';
import { databaseUnavailable, pgReason } from './pg-errors.js';
import { migrate, SCHEMA_NAME } from './pg-migrations.js';
import { createPool, databaseUrlProblem, redactedUrl, type PoolOptions } from './pg-pool.js';
import { checkConversationId, redacted, StoreError, type AppendOptions, type ConversationQuery, type OpenConversation, type Store, type StoredEvent, type StoreHealth } from './store.js';
import { openConversation, type Unfinished } from './unfinished.js';

export interface PgStoreOptions extends PoolOptions {
  /** Where the store reports the database going away and coming back. */
  readonly log?: Logger;
  /** The schema holding the store's tables (created when missing); default public. */
  readonly schema?: string;
  /** While the database is unreachable, it is tried this often (default 1 s). */
  readonly probeMs?: number;
}

const PROBE_MS = 1000;

/**
 * Connects, applies missing migrations and opens the store; rejects with
 * STORE_UNWRITABLE when the URL is unusable or the database cannot be
 * reached or prepared.
 *
 * @example
 *   const store = await openPgStore(process.env.TACT_DATABASE_URL ?? '', { log });
 */
export async function openPgStore(url: string, opts: PgStoreOptions = {}): Promise<Store> {
  const problem = databaseUrlProblem(url);
  if (problem) throw new StoreError('STORE_UNWRITABLE', problem);
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new StoreError('STORE_UNWRITABLE', `schema ${JSON.stringify(schema.slice(0, 80))} is not a lower-case SQL identifier`);
  const pool = createPool(url, opts);
  // Until the store listens: an idle connection's error must not crash the process.
  const early = (): void => undefined;
  pool.on('error', early);
  try {
    await migrate(pool, { schema });
  } catch (err) {
    await pool.end().catch(() => undefined);
    const what = databaseUnavailable(err) ? 'cannot be reached' : 'could not be prepared';
    throw new StoreError('STORE_UNWRITABLE', `the database at ${redactedUrl(url)} ${what} (${pgReason(err)}); the store did not open`);
  }
  const store = new PgStore(pool, schema, opts);
  pool.off('error', early);
  return store;
}

interface ConversationRow {
  readonly handoff_at: string | null;
  /** Parsed by pg from the json column. */
  readonly pending_turns: unknown;
}

/** An append waiting for the next batch. */
interface PendingAppend {
  readonly id: string;
  /** The append's statement, its values written in. */
  readonly statement: string;
  readonly expectedSeq: number | undefined;
  readonly resolve: (last: number) => void;
  readonly reject: (err: unknown) => void;
}

/** Appends written in one transaction at most (a statement each, in one query), and the query's size past which no more join it. */
const MAX_BATCH = 200;
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

/** How many of the waiting appends the next batch takes: at least one, however large. */
function batchLength(pending: readonly PendingAppend[]): number {
  let chars = 0;
  for (let n = 0; n < pending.length && n < MAX_BATCH; n++) {
    chars += (pending[n] as PendingAppend).statement.length;
    if (chars > MAX_BATCH_CHARS && n > 0) return n;
  }
  return Math.min(pending.length, MAX_BATCH);
}

class PgStore implements Store {
  readonly problems: string[] = [];
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private readonly sql: ReturnType<typeof statements>;
  private readonly queue = new KeyedQueue();
  /** Why the database is unavailable, while it is. */
  private fault: string | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly opts: PgStoreOptions,
  ) {
    this.sql = statements(schema);
    // An idle connection closed under the pool (the server restarted or killed it): the pool drops it; see whether the database is still there.
    pool.on('error', (err) => {
      this.opts.log?.warn('store.connection_lost', { err: pgReason(err) });
      this.probeSoon();
    });
  }

  async append(conversationId: string, event: StoredEvent, opts: AppendOptions = {}): Promise<number> {
    this.checkOpen();
    checkConversationId(conversationId);
    let statement: string;
    try {
      statement = withLiterals(this.sql.append, appendValues(conversationId, event, opts));
    } catch (err) {
      throw this.refused(conversationId, err);
    }
    return this.queue.run(conversationId, () => new Promise<number>((resolve, reject) => {
      this.pending.push({ id: conversationId, statement, expectedSeq: opts.expectedSeq, resolve, reject });
      this.schedule();
    }));
  }

  async read(conversationId: string): Promise<readonly StoredEvent[]> {
    this.checkOpen();
    checkConversationId(conversationId);
    const rows = await this.query<{ id: string; event: unknown }>(this.sql.read, [conversationId], `reading conversation ${conversationId}`);
    return rows.map((r) => storedEvent(r.event, conversationId, r.id));
  }

  /** Active since a time: from the index on each conversation's last event time. */
  async conversations(query: ConversationQuery = {}): Promise<readonly string[]> {
    this.checkOpen();
    const since = query.activeSince;
    const [text, values] = since ? [this.sql.activeSince, [since.toISOString()]] : [this.sql.conversations, []];
    const rows = await this.query<{ id: string }>(text, values, 'listing the conversations');
    return rows.map((r) => r.id);
  }

  /** From the rows marked unfinished (an index holds only those): no event is read. */
  async unfinished(): Promise<readonly OpenConversation[]> {
    this.checkOpen();
    const rows = await this.query<ConversationRow & { id: string }>(this.sql.unfinished, [], 'listing the unfinished conversations');
    return rows.map((r) => openConversation(r.id, unfinishedOf(r, r.id)));
  }

  /**
   * In one transaction holding the conversation's row lock (appends to it
   * wait, on every instance), after this instance's appends asked for before
   * it: the changed events' rows are updated. PostgreSQL keeps the old row
   * versions until (auto)vacuum reclaims them; no query can read them.
   */
  async redact(conversationId: string, change: (event: StoredEvent) => StoredEvent): Promise<number> {
    this.checkOpen();
    checkConversationId(conversationId);
    return this.queue.run(conversationId, () =>
      this.transaction(async (client) => {
        await client.query(this.sql.lockConversation, [conversationId]);
        const rows = (await client.query<{ id: string; event: unknown }>(this.sql.read, [conversationId])).rows;
        const { events, changed } = redacted(conversationId, rows.map((r) => storedEvent(r.event, conversationId, r.id)), change);
        let count = 0;
        for (const [i, row] of rows.entries()) {
          if (!changed[i]) continue;
          await client.query(this.sql.rewrite, [row.id, JSON.stringify(events[i])]);
          count++;
        }
        await client.query('COMMIT');
        return count;
      }),
    );
  }

  health(): StoreHealth {
    const now = this.fault ? [`the database cannot be reached (${this.fault}); appends are refused until it answers`] : [];
    return { status: now.length > 0 ? 'degraded' : 'ok', problems: [...this.problems, ...now], quarantined: 0, failedFolds: 0 };
  }

  /** Lets the appends already asked for finish, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    await this.queue.idle();
    await this.pool.end();
  }

  /** One flush at a time; appends arriving meanwhile form the next batch. */
  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, batchLength(this.pending));
    try {
      await this.writeEach(batch);
    } finally {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    }
  }

  /**
   * Writes a batch in one transaction and settles each append. When
   * PostgreSQL refuses one statement the whole batch is rolled back; each
   * append is then written alone, so only the one it refused fails.
   */
  private async writeEach(batch: readonly PendingAppend[]): Promise<void> {
    let lasts: (number | null)[];
    try {
      lasts = await this.transaction((client) => this.writeBatch(client, batch));
    } catch (err) {
      const cause = err instanceof NotCommitted ? err.lost : err;
      if (batch.length > 1 && !(err instanceof StoreError) && !databaseUnavailable(cause)) {
        for (const p of batch) await this.writeEach([p]);
        return;
      }
      for (const p of batch) p.reject(this.appendFailure(p.id, err));
      return;
    }
    this.opts.log?.debug('store.batch', { appends: batch.length });
    await Promise.all(batch.map((p, i) => this.settle(p, lasts[i] ?? null)));
  }

  /**
   * The batch's statements and COMMIT as one simple query: one round trip
   * and one commit for every append in it. Each statement answers its
   * conversation's last message number, or nothing when `expectedSeq` no
   * longer holds (that append alone is not stored).
   */
  private async writeBatch(client: PoolClient, batch: readonly PendingAppend[]): Promise<(number | null)[]> {
    // Rows are locked in conversation order in every batch of every instance, so two batches never wait on each other in a cycle
    // (a batch holds at most one append per conversation: the keyed queue lets the next start only once this one is settled).
    const order = batch.map((_, i) => i).sort((a, b) => compareIds((batch[a] as PendingAppend).id, (batch[b] as PendingAppend).id));
    const text = `${order.map((i) => (batch[i] as PendingAppend).statement).join(';\n')};\nCOMMIT`;
    const results = (await client.query(text)) as unknown as QueryResult<{ last_seq: number }>[];
    const lasts: (number | null)[] = new Array<number | null>(batch.length).fill(null);
    order.forEach((i, at) => (lasts[i] = results[at]?.rows[0]?.last_seq ?? null));
    return lasts;
  }

  private async settle(p: PendingAppend, last: number | null): Promise<void> {
    if (last !== null) return p.resolve(last);
    const now = await this.query<{ last_seq: number }>(this.sql.lastSeq, [p.id], `reading conversation ${p.id}'s last message number`).catch(() => []);
    p.reject(new StoreError('STORE_CONFLICT', `conversation ${p.id}: expected its last message to be ${p.expectedSeq}, it is ${now[0]?.last_seq ?? 0}; nothing was stored`));
  }

  /** `work` in a self-committing transaction (pg-transaction.ts); success means the database answers again. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const result = await selfCommitting(this.pool, work, this.opts.log);
    this.answered();
    return result;
  }

  /** One statement outside a transaction; unavailability is reported as STORE_UNWRITABLE. */
  private async query<R extends QueryResultRow>(text: string, values: readonly unknown[], what: string): Promise<R[]> {
    try {
      const result = await this.pool.query<R>(text, [...values]);
      this.answered();
      return result.rows;
    } catch (err) {
      if (!databaseUnavailable(err)) throw err;
      this.unreachable(err);
      throw new StoreError('STORE_UNWRITABLE', `the database cannot be reached (${pgReason(err)}); ${what} failed`);
    }
  }

  private appendFailure(id: string, err: unknown): unknown {
    if (err instanceof StoreError) return err;
    const cause = err instanceof NotCommitted ? err.lost : err;
    if (databaseUnavailable(cause)) {
      this.unreachable(cause);
      const kept = err instanceof NotCommitted ? 'nothing of it was kept' : 'the connection was lost while committing, so it may have been kept';
      return new StoreError('STORE_UNWRITABLE', `the database cannot be reached (${pgReason(cause)}); an event of conversation ${id} was refused (${kept})`);
    }
    return this.refused(id, cause);
  }

  private refused(id: string, cause: unknown): StoreError {
    this.opts.log?.error('store.append_refused', { conversation: id, err: pgReason(cause) });
    return new StoreError('STORE_WRITE_FAILED', `PostgreSQL refused an event of conversation ${id} (${pgReason(cause)}); nothing of it was kept`);
  }

  /** The database failed to answer: degraded until it does, probed meanwhile. */
  private unreachable(err: unknown): void {
    const reason = pgReason(err);
    if (this.fault === null) this.opts.log?.error('store.unreachable', { err: reason });
    this.fault = reason;
    this.probeSoon();
  }

  /** The database answered: no longer degraded. */
  private answered(): void {
    if (this.fault === null) return;
    this.fault = null;
    this.opts.log?.info('store.reachable', {});
  }

  private probeSoon(): void {
    if (this.closed || this.probeTimer) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.opts.probeMs ?? PROBE_MS);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
      this.answered();
      this.probeTimer = null;
    } catch (err) {
      this.probeTimer = null;
      if (this.closed) return;
      if (databaseUnavailable(err)) this.unreachable(err);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The unfinished state kept in a conversation's row. */
function unfinishedOf(row: Pick<ConversationRow, 'handoff_at' | 'pending_turns'>, id: string): Unfinished {
  const turns = row.pending_turns;
  if (!Array.isArray(turns) || !turns.every((t): t is string => typeof t === 'string')) {
    throw new StoreError('STORE_CORRUPT', `tact_conversations row ${id}: pending_turns is not a list of message ids`);
  }
  return { handoffAt: row.handoff_at, pendingTurns: turns };
}

/** An event as stored: an object with a kind (what the store wrote), or STORE_CORRUPT naming the row. */
function storedEvent(value: unknown, conversation: string, rowId: string): StoredEvent {
  if (typeof value !== 'object' || value === null || typeof (value as { kind?: unknown }).kind !== 'string') {
    throw new StoreError('STORE_CORRUPT', `tact_events row ${rowId} (conversation ${conversation}): the event is not an object with a kind`);
  }
  // The store wrote this JSON from a StoredEvent; only its shape's outline is checked here.
  return value as StoredEvent;
}
