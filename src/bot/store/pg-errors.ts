/**
 * What a PostgreSQL failure means for the store: the database is unavailable
 * (unreachable, shutting down, out of disk or connections, refusing writes:
 * the store is unwritable until it answers again) or it refused this one
 * statement (the append failed, the store goes on); and the short reason a
 * problem or a log line carries.
 */
import pg from 'pg';
import { StoreError } from './store.js';

/**
 * SQLSTATE classes and codes that mean "not now" rather than "not this":
 * 08 connection exception, 28 authorization, 3D no such database,
 * 53 insufficient resources (disk full, too many connections), 57 operator
 * intervention (terminated, shutting down), 58 system error (I/O),
 * 25006 read-only transaction (a standby, or default_transaction_read_only).
 */
const UNAVAILABLE_CLASSES = new Set(['08', '28', '3D', '53', '57', '58']);
const UNAVAILABLE_CODES = new Set(['25006']);

/**
 * True when the failure is the database's or the network's, not the
 * statement's: every error that is neither PostgreSQL's own answer nor the
 * store's (a refused or reset connection, a timeout, a client that lost its
 * connection) counts.
 */
export function databaseUnavailable(err: unknown): boolean {
  if (err instanceof StoreError) return false;
  if (!(err instanceof pg.DatabaseError) || err.code === undefined) return true;
  return UNAVAILABLE_CLASSES.has(err.code.slice(0, 2)) || UNAVAILABLE_CODES.has(err.code);
}

/** A short reason for a problem or a log line: the SQLSTATE and message, or the system error code. */
export function pgReason(err: unknown): string {
  if (err instanceof pg.DatabaseError) return `${err.code ?? 'no SQLSTATE'}: ${err.message}`;
  if (err instanceof AggregateError && err.errors.length > 0) return pgReason(err.errors[0]);
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && !message.includes(code)) return message ? `${code}: ${message}` : code;
  return message;
}
