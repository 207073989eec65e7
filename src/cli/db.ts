/**
 * `tact db migrate [--url URL] [--schema NAME]`: applies the PostgreSQL
 * store's migrations the database lacks (the store also applies them when it
 * opens; this is for deploys that migrate first) and prints what it applied.
 * The URL comes from --url, else $TACT_DATABASE_URL. A URL that is not one
 * exits 2; a database that cannot be reached or migrated exits 1, with one
 * coded line and no stack trace.
 */
import { databaseUnavailable, pgReason } from '../bot/store/pg-errors.js';
import { migrate, SCHEMA_NAME } from '../bot/store/pg-migrations.js';
import { createPool, databaseUrlProblem, redactedUrl } from '../bot/store/pg-pool.js';
import { parse, UsageError } from './usage.js';

export async function dbCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { url: { type: 'string' }, schema: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`tact db ${sub ?? ''} takes no arguments (use --url)`);
  switch (sub) {
    case 'migrate':
      return migrateCommand(values.url ?? process.env['TACT_DATABASE_URL'] ?? '', values.schema ?? 'public');
    default:
      throw new UsageError(sub === undefined ? 'tact db needs migrate' : `unknown db command "${sub}" (migrate)`);
  }
}

async function migrateCommand(url: string, schema: string): Promise<number> {
  if (url === '') throw new UsageError('tact db migrate needs a database: --url postgres://… or TACT_DATABASE_URL');
  const problem = databaseUrlProblem(url);
  if (problem) return refuse(`${problem} (DB_BAD_URL)`, 2);
  if (!SCHEMA_NAME.test(schema)) return refuse(`--schema ${JSON.stringify(schema)} is not a lower-case SQL identifier (DB_BAD_SCHEMA)`, 2);
  const shown = redactedUrl(url);
  const pool = createPool(url, { maxConnections: 1 });
  pool.on('error', () => undefined);
  let applied: readonly string[];
  try {
    applied = await migrate(pool, { schema });
  } catch (err) {
    if (databaseUnavailable(err)) return refuse(`the database at ${shown} cannot be reached (${pgReason(err)}) (DB_UNREACHABLE)`, 1);
    return refuse(`migrating ${shown} failed (${pgReason(err)}); nothing was applied (DB_MIGRATE_FAILED)`, 1);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (applied.length === 0) process.stdout.write(`${shown}: up to date, nothing to apply\n`);
  for (const name of applied) process.stdout.write(`${shown}: applied ${name}\n`);
  return 0;
}

function refuse(line: string, code: number): number {
  process.stderr.write(`tact: ${line}\n`);
  return code;
}
