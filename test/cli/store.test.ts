import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../src/bot/store/crc32c.js';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

function tact(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TACT_DATA_DIR: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const message = (text: string): StoredEvent => ({ kind: 'message', at: '2026-11-27T10:00:00.000Z', from: 'customer', text });
const line = (s: number, c: string, text: string): string => {
  const json = JSON.stringify({ s, c, e: message(text) });
  return `${crc32c(json).toString(16).padStart(8, '0')} ${json}\n`;
};

/** A data directory with one damaged record in the middle of its log and one unreadable conversation file. */
async function damagedDataDir(): Promise<string> {
  const dir = tempDir();
  const store = await openLowdbStore(dir);
  await store.append('good', message('kept'));
  await store.close();
  writeFileSync(join(dir, 'wal.log'), line(10, 'c1', 'one') + 'not a record\n' + line(12, 'c1', 'three'));
  writeFileSync(join(dir, 'conversations', 'broken.json'), '');
  return dir;
}

describe('tact store check|repair', () => {
  after(cleanTempDirs);

  it('finds nothing wrong in a healthy data directory (exit 0)', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await store.append('c1', message('hello'));
    await store.close();
    const r = tact(['store', 'check', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no damage/i);
  });

  it('names each damaged record and file with file:line, and exits 1', async () => {
    const dir = await damagedDataDir();
    const r = tact(['store', 'check'], { TACT_DATA_DIR: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /wal\.log:2/);
    assert.match(r.stdout, /conversations\/broken\.json/);
  });

  it('refuses to repair a data directory a running server holds', async () => {
    const dir = await damagedDataDir();
    mkdirSync(join(dir, 'x'), { recursive: true });
    const store = await openLowdbStore(join(dir, 'x'));
    const r = tact(['store', 'repair', join(dir, 'x')]);
    await store.close();
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /in use/);
  });

  it('repairs: salvages every intact record, quarantines the rest, and check is clean afterwards', async () => {
    const dir = await damagedDataDir();
    const r = tact(['store', 'repair', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /wal\.log:2/);
    assert.match(r.stdout, /broken/);
    assert.ok(readdirSync(join(dir, 'quarantine')).length >= 2, readdirSync(join(dir, 'quarantine')).join(' '));
    const check = tact(['store', 'check', dir]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const store = await openLowdbStore(dir);
    assert.deepEqual((await store.read('c1')).map((e) => (e.kind === 'message' ? e.text : '')), ['one', 'three']);
    assert.deepEqual((await store.read('good')).map((e) => (e.kind === 'message' ? e.text : '')), ['kept']);
    await store.close();
  });

  it('explains its usage (exit 2)', () => {
    const r = tact(['store', 'mend']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown store command "mend" \(check or repair\)/);
    assert.equal(tact(['store', 'check', 'a', 'b']).code, 2);
  });
});
