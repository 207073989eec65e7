/**
 * A pool of PostgreSQL connections from a database URL, set up the one way
 * the store and `tact db migrate` both use: bounded connect and statement
 * times (an unreachable database fails an append instead of hanging it), TCP
 * keep-alive, and a check of the URL first, so a typo is named as one rather
 * than surfacing as a connection error. A URL is only ever shown redacted.
 */
import pg from 'pg';
import type { Pool } from 'pg';

export { databaseUrlProblem, redactedUrl } from './database-url.js';

export interface PoolOptions {
  /** Connections the pool keeps at most (default 10). */
  readonly maxConnections?: number;
  /** How long a new connection may take before the attempt fails (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** How long one statement may wait for its answer before the connection is given up (default 30 s). */
  readonly queryTimeoutMs?: number;
}

export const POOL_DEFAULTS = { maxConnections: 10, connectTimeoutMs: 5000, queryTimeoutMs: 30_000 } as const;

/**
 * A pool on `url` (checked with databaseUrlProblem, database-url.ts, first). Its 'error' events
 * (an idle connection closed under it) are the caller's to handle.
 */
export function createPool(url: string, opts: PoolOptions = {}): Pool {
  return new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? POOL_DEFAULTS.maxConnections,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    query_timeout: opts.queryTimeoutMs ?? POOL_DEFAULTS.queryTimeoutMs,
    keepAlive: true,
    application_name: 'tact',
  });
}
