/**
 * `tact db migrate [--url URL] [--schema NAME]`: applies the PostgreSQL
 * store's migrations the database lacks (the store also applies them when it
 * opens; this is for deploys that migrate first) and prints what it applied.
 * `tact db import-lowdb DATA_DIR [--url URL] [--schema NAME]`: moves the
 * embedded store's conversations into the database (db-import.ts).
 * The URL comes from --url, else $TACT_DATABASE_URL. A URL that is not one
 * exits 2; a database that cannot be reached or migrated exits 1, with one
 * coded line and no stack trace (database.ts).
 */
import { resolve } from 'node:path';
import { databaseTarget, DbRefusal, withDatabase, type Database } from './database.js';
import { importLowdbCommand } from './db-import.js';
import { parse, UsageError } from './usage.js';

export async function dbCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { url: { type: 'string' }, schema: { type: 'string' } });
  try {
    switch (sub) {
      case 'migrate':
        if (positionals.length > 0) throw new UsageError('tact db migrate takes no arguments (use --url)');
        return await withDatabase(databaseTarget('migrate', values.url, values.schema), printApplied);
      case 'import-lowdb': {
        const [dir, ...extra] = positionals;
        if (dir === undefined || extra.length > 0) throw new UsageError('tact db import-lowdb takes one data directory: tact db import-lowdb DATA_DIR [--url URL]');
        return await importLowdbCommand(resolve(dir), databaseTarget('import-lowdb', values.url, values.schema));
      }
      default:
        throw new UsageError(sub === undefined ? 'tact db needs migrate or import-lowdb' : `unknown db command "${sub}" (migrate or import-lowdb)`);
    }
  } catch (err) {
    if (!(err instanceof DbRefusal)) throw err;
    process.stderr.write(`tact: ${err.message}\n`);
    return err.exitCode;
  }
}

async function printApplied(db: Database): Promise<number> {
  if (db.applied.length === 0) process.stdout.write(`${db.shown}: up to date, nothing to apply\n`);
  for (const name of db.applied) process.stdout.write(`${db.shown}: applied ${name}\n`);
  return 0;
}
