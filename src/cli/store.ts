/**
 * `tact store check [DATA_DIR]` and `tact store repair [DATA_DIR]` (default
 * $TACT_DATA_DIR, else ./data). Check reads the data directory without
 * changing it and lists each damaged record or file with file:line (exit 1
 * when there is any, 0 when there is none). Repair, with the server stopped
 * (it refuses while one holds the directory), salvages every intact record
 * and sets the rest aside under quarantine/ for inspection.
 */
import { resolve } from 'node:path';
import { checkDataDir, type CheckReport } from '../bot/store/check.js';
import { repairLowdbStore } from '../bot/store/lowdb-store.js';
import { StoreError } from '../bot/store/store.js';
import { parse, UsageError } from './usage.js';

export async function storeCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { positionals } = parse(rest, {});
  if (positionals.length > 1) throw new UsageError(`tact store ${sub ?? ''} takes one data directory at most`);
  const dataDir = resolve(positionals[0] ?? (process.env['TACT_DATA_DIR'] || 'data'));
  switch (sub) {
    case 'check':
      return check(dataDir);
    case 'repair':
      return repair(dataDir);
    default:
      throw new UsageError(sub === undefined ? 'tact store needs check or repair' : `unknown store command "${sub}" (check or repair)`);
  }
}

async function check(dataDir: string): Promise<number> {
  const report = await checkDataDir(dataDir);
  process.stdout.write(format(dataDir, report));
  if (report.damage.length === 0) return 0;
  process.stdout.write(`Run \`tact store repair ${dataDir}\` with the server stopped to salvage every intact record and set the rest aside.\n`);
  return 1;
}

async function repair(dataDir: string): Promise<number> {
  let result;
  try {
    result = await repairLowdbStore(dataDir);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'STORE_LOCKED') {
      process.stderr.write(`tact: ${err.message}; stop the server before repairing\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(`${dataDir}: repair\n`);
  for (const line of result.done) process.stdout.write(`  ✓ ${line}\n`);
  for (const line of result.failed) process.stdout.write(`  ✗ ${line}\n`);
  const after = await checkDataDir(dataDir);
  process.stdout.write(format(dataDir, after));
  return result.failed.length === 0 && after.damage.length === 0 ? 0 : 1;
}

function format(dataDir: string, r: CheckReport): string {
  const lines = [`${dataDir}: ${r.conversations} conversation files, ${r.records} records in the log`];
  for (const f of r.damage) lines.push(`  ✗ ${f.where}  ${f.what}`);
  for (const f of r.notes) lines.push(`  · ${f.where}  ${f.what}`);
  lines.push(r.damage.length === 0 ? 'No damage found.' : `${r.damage.length} damaged record(s) or file(s).`);
  return `${lines.join('\n')}\n`;
}
