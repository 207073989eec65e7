/**
 * The database a `tact db` command works on: the URL (--url, else
 * $TACT_DATABASE_URL) and schema checked, then a one-connection pool with the
 * store's migrations applied. A command's refusals are `DbRefusal`s: one
 * coded line and an exit code (2: the input is wrong, 1: the database or
 * the data failed), printed by db.ts without a stack trace; a URL is only
 * ever shown with its password redacted.
 */
import type { Pool } from 'pg';
import { databaseUnavailable, pgReason } from '../bot/store/pg-errors.js';
import { migrate, SCHEMA_NAME } from '../bot/store/pg-migrations.js';
import { createPool, databaseUrlProblem, redactedUrl } from '../bot/store/pg-pool.js';
import { UsageError } from './usage.js';

export class DbRefusal extends Error {
  constructor(
    /** The line printed after `tact: `, ending with its code in parentheses. */
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'DbRefusal';
  }
}

export interface DatabaseTarget {
  readonly url: string;
  readonly schema: string;
  /** The URL as it may be printed. */
  readonly shown: string;
}

export interface Database extends DatabaseTarget {
  readonly pool: Pool;
  /** Names of the migrations this command applied (none when the database was up to date). */
  readonly applied: readonly string[];
}

/** Checks the URL and schema `tact db <command>` was given, without connecting. */
export function databaseTarget(command: string, url: string | undefined, schema: string | undefined): DatabaseTarget {
  const given = url ?? process.env['TACT_DATABASE_URL'] ?? '';
  if (given === '') throw new UsageError(`tact db ${command} needs a database: --url postgres://… or TACT_DATABASE_URL`);
  const problem = databaseUrlProblem(given);
  if (problem) throw new DbRefusal(`${problem} (DB_BAD_URL)`, 2);
  const name = schema ?? 'public';
  if (!SCHEMA_NAME.test(name)) throw new DbRefusal(`--schema ${JSON.stringify(name)} is not a lower-case SQL identifier (DB_BAD_SCHEMA)`, 2);
  return { url: given, schema: name, shown: redactedUrl(given) };
}

/**
 * Connects and applies the missing migrations, then runs `work` on the
 * database and closes the pool after it, whatever happened.
 */
export async function withDatabase<T>(target: DatabaseTarget, work: (db: Database) => Promise<T>): Promise<T> {
  const pool = createPool(target.url, { maxConnections: 1 });
  // An idle connection closed under the pool: the next statement reports it.
  pool.on('error', () => undefined);
  try {
    const applied = await migrateOrRefuse(pool, target);
    return await work({ ...target, pool, applied });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** The refusal for a database that stopped answering, or could not be reached at all. */
export function unreachable(target: DatabaseTarget, reason: string, after = ''): DbRefusal {
  return new DbRefusal(`the database at ${target.shown} cannot be reached (${reason})${after} (DB_UNREACHABLE)`, 1);
}

async function migrateOrRefuse(pool: Pool, target: DatabaseTarget): Promise<readonly string[]> {
  try {
    return await migrate(pool, { schema: target.schema });
  } catch (err) {
    if (databaseUnavailable(err)) throw unreachable(target, pgReason(err));
    throw new DbRefusal(`migrating ${target.shown} failed (${pgReason(err)}); nothing was applied (DB_MIGRATE_FAILED)`, 1);
  }
}
