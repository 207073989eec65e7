/**
 * Throwaway PostgreSQL databases for tests: each harness gets its own
 * database (tact_test_<random>), made through the server's `postgres`
 * database at $TACT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * and dropped by `cleanTestDatabases` (a mocha `after` hook), which first
 * closes whatever the tests left open on it. A server that cannot be reached
 * fails the tests with a message saying so: CI has one, so they never skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env['TACT_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

interface Closeable {
  close(): Promise<void>;
}

const databases = new Set<string>();
const open = new Set<Closeable>();

/** A database's URL on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `sql` on the server's admin database, with a clear error when the server is not there. */
export async function adminQuery(sql: string, values: readonly unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (${why}): the PostgreSQL store tests need it (set TACT_TEST_PG_URL, or start the server)`);
  }
  try {
    return await client.query(sql, [...values]);
  } finally {
    await client.end();
  }
}

/** Creates a new, empty database and resolves with its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `tact_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  databases.add(name);
  return databaseUrl(name);
}

/** A database made on first use, the same one after: for a harness opened again and again. */
export function lazyTestDatabase(): () => Promise<string> {
  let url: Promise<string> | null = null;
  return () => (url ??= createTestDatabase());
}

/** Remembers something a test opened, so cleanup closes it even when the test failed before it could. */
export function track<T extends Closeable>(thing: T): T {
  open.add(thing);
  return thing;
}

/** Closes everything tracked, then drops every database made here (forcing out any connection left). */
export async function cleanTestDatabases(): Promise<void> {
  await Promise.allSettled([...open].map((t) => t.close()));
  open.clear();
  // At once: each drop waits for a checkpoint, and concurrent ones share it.
  const dropped = await Promise.allSettled([...databases].map((name) => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  databases.clear();
  const failed = dropped.find((d) => d.status === 'rejected');
  if (failed) throw failed.reason;
}
