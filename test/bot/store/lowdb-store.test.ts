import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../../src/bot/store/lock.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { StoreError, type StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const message = (text: string): StoredEvent => ({ kind: 'message', at: '2026-11-27T10:00:00.000Z', from: 'customer', text });

describe('the lowdb store', () => {
  after(cleanTempDirs);

  it('keeps every appended event, in order, across a reopen', async () => {
    const dir = tempDir();
    const store = openLowdbStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('c1', message(`m${i}`))));
    await store.append('c2', { kind: 'rating', at: '2026-11-27T10:05:00.000Z', score: 5, comment: null });
    await store.close();
    const again = openLowdbStore(dir);
    const events = await again.read('c1');
    assert.deepEqual(events.map((e) => (e.kind === 'message' ? e.text : '')), Array.from({ length: 50 }, (_, i) => `m${i}`));
    assert.equal((await again.read('c2'))[0]?.kind, 'rating');
    assert.deepEqual(await again.read('never-seen'), []);
    await again.close();
  });

  it('writes one file per conversation and leaves no temporary files', async () => {
    const dir = tempDir();
    const store = openLowdbStore(dir);
    await store.append('a', message('hi'));
    await store.append('b', message('hello'));
    await store.close();
    assert.deepEqual(readdirSync(join(dir, 'conversations')).sort(), ['a.json', 'b.json']);
  });

  it('refuses a second store on the same data directory with a clear message', async () => {
    const dir = tempDir();
    const store = openLowdbStore(dir);
    assert.throws(() => openLowdbStore(dir), (e: unknown) => e instanceof StoreError && e.code === 'STORE_LOCKED' && /in use by another Tact process/.test(e.message));
    await store.close();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    await openLowdbStore(dir).close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '2147483646\n');
    const store = openLowdbStore(dir);
    await store.append('x', message('still works'));
    await store.close();
  });

  it('refuses conversation ids that could reach outside the data directory', async () => {
    const store = openLowdbStore(tempDir());
    for (const id of ['../etc/passwd', 'a/b', '', 'x'.repeat(65), 'con\u0000', '..']) {
      assert.throws(() => store.append(id, message('x')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_BAD_ID', id);
    }
    await store.close();
  });

  it('reports a corrupt conversation file by name instead of dropping it or the new message', async () => {
    const dir = tempDir();
    const store = openLowdbStore(dir);
    writeFileSync(join(dir, 'conversations', 'broken.json'), '{"id":"broken","events":[');
    writeFileSync(join(dir, 'conversations', 'odd.json'), '{"id":"odd"}');
    await assert.rejects(store.append('broken', message('x')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CORRUPT' && /broken\.json/.test(e.message));
    await assert.rejects(store.read('odd'), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CORRUPT');
    await store.append('fine', message('other conversations are unaffected'));
    await store.close();
  });

  it('refuses to be used after close', async () => {
    const store = openLowdbStore(tempDir());
    await store.close();
    assert.throws(() => store.append('a', message('late')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED');
  });

  it('keeps every acknowledged message when the process is killed with SIGKILL', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'fixtures', 'append-forever.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = -1;
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/acked (\d+)/g)) acked = Number(m[1]);
        if (acked >= 30) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const store = openLowdbStore(dir);
    const texts = (await store.read('crash-test')).map((e) => (e.kind === 'message' ? e.text : ''));
    await store.close();
    assert.ok(texts.length >= acked + 1, `acked ${acked + 1} messages, found ${texts.length}`);
    assert.deepEqual(texts.slice(0, acked + 1), Array.from({ length: acked + 1 }, (_, i) => `message ${i}`));
  });
});
