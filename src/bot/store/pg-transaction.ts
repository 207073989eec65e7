/**
 * The PostgreSQL store's transaction: BEGIN on its own, then `work`, whose
 * last statement is the COMMIT (a batch of appends sends its statements and
 * the COMMIT as one query). A transaction that certainly did not commit
 * because the connection failed (a stale pooled connection, a backend
 * terminated mid-batch) is tried once more on a fresh connection; one that
 * may have committed is never run again.
 */
import pg, { type Pool, type PoolClient } from 'pg';
import type { Logger } from '../log.js';
import { databaseUnavailable, pgReason } from './pg-errors.js';

/**
 * The database failed before COMMIT was sent, so nothing of the transaction
 * was kept. `retry`: the connection broke after it was handed out (a stale
 * pooled one, perhaps), so a fresh one is worth one more try.
 */
export class NotCommitted extends Error {
  constructor(
    readonly lost: unknown,
    readonly retry: boolean,
  ) {
    super(pgReason(lost));
  }
}

/** Runs `work` after BEGIN on a pooled connection (it commits itself), trying once more when it certainly did not commit. */
export async function selfCommitting<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, log?: Logger): Promise<T> {
  try {
    return await attempt(pool, work);
  } catch (err) {
    if (!(err instanceof NotCommitted && err.retry)) throw err;
    log?.warn('store.retry', { err: err.message });
    return await attempt(pool, work);
  }
}

async function attempt<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw new NotCommitted(err, false);
  }
  // A checked-out connection that breaks between statements emits 'error'; the failing statement reports it.
  const swallow = (): void => undefined;
  client.on('error', swallow);
  let broken: Error | undefined;
  let begun = false;
  try {
    await client.query('BEGIN');
    begun = true;
    return await work(client);
  } catch (err) {
    if (databaseUnavailable(err)) {
      broken = err instanceof Error ? err : new Error(String(err));
      // Before the batch was sent, or PostgreSQL itself answered that it failed (a failed statement is never committed):
      // nothing was kept. A connection lost with no answer may have committed.
      throw !begun || answeredByServer(err) ? new NotCommitted(err, true) : err;
    }
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.off('error', swallow);
    // A broken connection is destroyed, not handed out again.
    client.release(broken);
  }
}

/** PostgreSQL's own error response (it has a SQLSTATE), as against a connection that went silent. */
function answeredByServer(err: unknown): boolean {
  return err instanceof pg.DatabaseError && err.code !== undefined;
}
