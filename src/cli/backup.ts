/**
 * `tact backup --out FILE [--data DIR | --url URL] [--schema NAME]`: a
 * consistent snapshot of the store while the server runs, in one
 * checksummed file (bot/store/backup-format.ts) written whole or not at
 * all. The store is the configured one: the database at --url, else
 * $TACT_DATABASE_URL (one REPEATABLE READ transaction, pg-snapshot.ts),
 * else the data directory --data, $TACT_DATA_DIR or ./data (read without
 * its lock, lowdb-snapshot.ts says how it stays consistent). Exit 0 with
 * the counts and the file's SHA-256; 2 for a wrong argument or an existing
 * FILE; 1 when the store could not be read whole (nothing written).
 */
import { resolve } from 'node:path';
import { BackupError, describeBackupCounts, type BackupErrorCode } from '../bot/store/backup-format.js';
import { writeBackup, type WrittenBackup } from '../bot/store/backup-writer.js';
import { snapshotDataDir } from '../bot/store/lowdb-snapshot.js';
import { databaseTarget, DbRefusal, withDatabase } from './database.js';
import { parse, UsageError } from './usage.js';

export async function backupCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' }, data: { type: 'string' }, url: { type: 'string' }, schema: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError('tact backup takes no arguments: tact backup --out FILE [--data DIR | --url URL]');
  if (values.out === undefined || values.out === '') throw new UsageError('tact backup needs --out FILE');
  if (values.data !== undefined && values.url !== undefined) throw new UsageError('tact backup reads one store: --data DIR or --url URL, not both');
  const out = resolve(values.out);
  const url = values.url ?? (values.data === undefined ? process.env['TACT_DATABASE_URL'] : undefined);
  if (values.schema !== undefined && !url) throw new UsageError('--schema names a PostgreSQL schema: it needs --url URL or TACT_DATABASE_URL');
  return guarded(async () => {
    if (url) {
      const target = databaseTarget('backup', url, values.schema);
      const written = await withDatabase(target, async (db) => {
        const { withPgSnapshot } = await import('../bot/store/pg-snapshot.js');
        return withPgSnapshot(db.pool, db.schema, (snapshot) => writeBackup(out, snapshot));
      });
      return printWritten(target.shown, out, written);
    }
    const dataDir = resolve(values.data ?? (process.env['TACT_DATA_DIR'] || 'data'));
    const snapshot = await snapshotDataDir(dataDir);
    for (const problem of snapshot.problems) process.stderr.write(`tact: the data directory: ${problem}\n`);
    return printWritten(dataDir, out, await writeBackup(out, snapshot));
  });
}

function printWritten(source: string, out: string, w: WrittenBackup): number {
  process.stdout.write(`${source} → ${out}: ${describeBackupCounts(w.counts)}, ${w.bytes} bytes\n`);
  process.stdout.write(`${w.sha256}  ${out}\n`);
  return 0;
}

/** A file that was refused, or an argument: 2; a store or target that failed: 1. */
const INPUT_REFUSED: ReadonlySet<BackupErrorCode> = new Set(['BACKUP_EXISTS', 'RESTORE_NOT_A_BACKUP', 'RESTORE_WRONG_VERSION', 'RESTORE_TRUNCATED', 'RESTORE_CORRUPT', 'RESTORE_LINE_TOO_LONG', 'RESTORE_BAD_NAME']);

/** Runs a backup or restore, printing a refusal as one coded line without a stack trace. */
export async function guarded(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DbRefusal) {
      process.stderr.write(`tact: ${err.message}\n`);
      return err.exitCode;
    }
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`tact: ${err.message} (${err.code})\n`);
    return INPUT_REFUSED.has(err.code) ? 2 : 1;
  }
}
