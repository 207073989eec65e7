/**
 * `tact restore FILE [--into DIR | --url URL] [--schema NAME] [--allow-empty]`:
 * a backup (`tact backup`, from either store) into a data directory or a
 * PostgreSQL database — by default the configured store ($TACT_DATABASE_URL,
 * else $TACT_DATA_DIR, else ./data). All or nothing: the file is verified
 * (checksum, counts, every line) while it is staged aside (a folder renamed
 * into place, or one transaction), and the restored store is read back and
 * checked by counts before it is kept. Refused when the target is live (a
 * server holds it) or holds anything; an existing empty store only with
 * --allow-empty. Exit 0 when restored and verified; 2 when the file is
 * refused (not a backup, another version, cut short, damaged, hostile);
 * 1 when the target is refused or did not verify.
 */
import { resolve } from 'node:path';
import { describeBackupCounts } from '../bot/store/backup-format.js';
import { restoreIntoDataDir } from '../bot/store/lowdb-restore.js';
import type { RestoreReport } from '../bot/store/restore-check.js';
import { guarded } from './backup.js';
import { databaseTarget, withDatabase } from './database.js';
import { parse, UsageError } from './usage.js';

export async function restoreCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, { into: { type: 'string' }, url: { type: 'string' }, schema: { type: 'string' }, 'allow-empty': { type: 'boolean' } });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('tact restore takes one backup file: tact restore FILE [--into DIR | --url URL]');
  if (values.into !== undefined && values.url !== undefined) throw new UsageError('tact restore writes one store: --into DIR or --url URL, not both');
  const opts = { allowEmpty: values['allow-empty'] ?? false };
  const backup = resolve(file);
  const url = values.url ?? (values.into === undefined ? process.env['TACT_DATABASE_URL'] : undefined);
  if (values.schema !== undefined && !url) throw new UsageError('--schema names a PostgreSQL schema: it needs --url URL or TACT_DATABASE_URL');
  return guarded(async () => {
    if (url) {
      const target = databaseTarget('restore', url, values.schema);
      const report = await withDatabase(target, async (db) => {
        const { restoreIntoDatabase } = await import('../bot/store/pg-restore.js');
        return restoreIntoDatabase(backup, db, opts);
      });
      return printRestored(backup, target.shown, report);
    }
    const dataDir = resolve(values.into ?? (process.env['TACT_DATA_DIR'] || 'data'));
    return printRestored(backup, dataDir, await restoreIntoDataDir(backup, dataDir, opts));
  });
}

function printRestored(file: string, target: string, r: RestoreReport): number {
  process.stdout.write(`${file} (${r.header.source} store, backed up ${r.header.createdAt}) → ${target}: ${describeBackupCounts(r.counts)}\n`);
  process.stdout.write('verified: every conversation read back with the backup’s events, messages and last message number, and every file\n');
  if (r.secret === 'restored') process.stdout.write('the session secret was restored with it: customers’ sessions carry on (unless TACT_SESSION_SECRET sets another)\n');
  if (r.secret === 'not-restored') {
    process.stderr.write('tact: the backup holds a data directory’s session secret, which a database does not keep: set TACT_SESSION_SECRET on the instances (with that value, from the old data directory’s session.secret, to keep customers’ sessions)\n');
  }
  return 0;
}
