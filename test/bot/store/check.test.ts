import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDataDir } from '../../../src/bot/store/check.js';
import { encodeRecord } from '../../../src/bot/store/log-record.js';
import { openLowdbStore, repairLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { message, texts } from './store-contract.js';

const control = (highWater: number) => JSON.stringify({ version: 1, highWater, folded: highWater, folding: null, rescueThrough: 0, unfinished: {} });
const file = (id: string, lastSeq: number, textsIn: readonly string[]) => JSON.stringify({ id, lastSeq, events: textsIn.map((t) => message(t)) });

describe('checking and repairing a data directory', () => {
  after(cleanTempDirs);

  it('names a record numbered below its file, a file above the high-water mark, and notes a torn last record', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'control.json'), control(10));
    writeFileSync(join(dir, 'conversations', 'c1.json'), file('c1', 10, ['m10']));
    writeFileSync(join(dir, 'conversations', 'c2.json'), file('c2', 12, ['m12']));
    writeFileSync(join(dir, 'wal.log'), encodeRecord({ s: 11, c: 'c1', e: message('m11') }) + encodeRecord({ s: 3, c: 'c1', e: message('lost in a restart') }) + '{"s":13,"c":"c1"');
    const report = await checkDataDir(dir);
    assert.deepEqual(report.damage.map((d) => d.where).sort(), ['conversations/c2.json', 'wal.log:2']);
    assert.match(report.damage.find((d) => d.where === 'wal.log:2')?.what ?? '', /seq 3 .* at or below conversations\/c1\.json's last seq 10/);
    assert.match(report.damage.find((d) => d.where === 'conversations/c2.json')?.what ?? '', /seq 12, above the high-water mark 10/);
    assert.ok(report.notes.some((n) => n.where === 'wal.log:3' && /torn last record/.test(n.what)), JSON.stringify(report.notes));
  });

  it('repairs: keeps the misnumbered record, records the high-water mark, and the check is clean afterwards', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'control.json'), control(10));
    writeFileSync(join(dir, 'conversations', 'c1.json'), file('c1', 10, ['m10']));
    writeFileSync(join(dir, 'conversations', 'c2.json'), file('c2', 12, ['m12']));
    writeFileSync(join(dir, 'wal.log'), encodeRecord({ s: 11, c: 'c1', e: message('m11') }) + encodeRecord({ s: 3, c: 'c1', e: message('lost in a restart') }));
    const result = await repairLowdbStore(dir);
    assert.deepEqual(result.failed, []);
    assert.deepEqual((await checkDataDir(dir)).damage, []);
    const store = await openLowdbStore(dir);
    assert.deepEqual(texts(await store.read('c1')), ['m10', 'm11', 'lost in a restart']);
    await store.append('c2', message('m13'));
    assert.deepEqual(texts(await store.read('c2')), ['m12', 'm13']);
    assert.equal(store.health().status, 'ok');
    await store.close();
  });
});
