import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, lockDataDir } from '../../../src/bot/store/lock.js';
import { FOLD_EVERY, openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { StoreError, type StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const message = (text: string): StoredEvent => ({ kind: 'message', at: '2026-11-27T10:00:00.000Z', from: 'customer', text });

describe('the lowdb store', () => {
  after(cleanTempDirs);

  it('keeps every appended event, in order, across a reopen', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('c1', message(`m${i}`))));
    await store.append('c2', { kind: 'rating', at: '2026-11-27T10:05:00.000Z', score: 5, comment: null });
    await store.close();
    const again = await openLowdbStore(dir);
    const events = await again.read('c1');
    assert.deepEqual(events.map((e) => (e.kind === 'message' ? e.text : '')), Array.from({ length: 50 }, (_, i) => `m${i}`));
    assert.equal((await again.read('c2'))[0]?.kind, 'rating');
    assert.deepEqual(await again.read('never-seen'), []);
    await again.append('c3', message('only in the log so far'));
    assert.deepEqual([...(await again.conversations())].sort(), ['c1', 'c2', 'c3']);
    await again.close();
  });

  it('writes one file per conversation and leaves no temporary files', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await store.append('a', message('hi'));
    await store.append('b', message('hello'));
    await store.close();
    assert.deepEqual(readdirSync(join(dir, 'conversations')).sort(), ['a.json', 'b.json']);
    assert.deepEqual(readdirSync(dir).sort(), ['conversations', LOCK_FILE, 'wal.log']);
  });

  it('refuses a second store on the same data directory with a clear message', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    assert.throws(() => openLowdbStore(dir), (e: unknown) => e instanceof StoreError && e.code === 'STORE_LOCKED' && /in use by another Tact process/.test(e.message));
    await store.close();
    await (await openLowdbStore(dir)).close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '2147483646\n');
    const store = await openLowdbStore(dir);
    await store.append('x', message('still works'));
    await store.close();
  });

  it('refuses conversation ids that could reach outside the data directory', async () => {
    const store = await openLowdbStore(tempDir());
    for (const id of ['../etc/passwd', 'a/b', '', 'x'.repeat(65), 'con\u0000', '..']) {
      await assert.rejects(store.append(id, message('x')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_BAD_ID', id);
    }
    await store.close();
  });

  it('sets a corrupt conversation file aside, says so, and keeps the new message', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conversations'), { recursive: true });
    writeFileSync(join(dir, 'conversations', 'broken.json'), '{"id":"broken","events":[');
    writeFileSync(join(dir, 'conversations', 'odd.json'), '{"id":"odd"}');
    const store = await openLowdbStore(dir);
    await store.append('broken', message('after the damage'));
    await store.append('fine', message('other conversations are unaffected'));
    assert.deepEqual((await store.read('odd')), []);
    await store.close();
    const files = readdirSync(join(dir, 'conversations'));
    assert.ok(files.some((f) => f.startsWith('broken.json.corrupt-')), files.join(' '));
    assert.ok(store.problems.some((p) => /broken\.json could not be read/.test(p)));
    const again = await openLowdbStore(dir);
    assert.deepEqual((await again.read('broken')).map((e) => (e.kind === 'message' ? e.text : '')), ['after the damage']);
    await again.close();
  });

  it('replays acknowledged appends from the log after a crash, and ignores a torn last line', async () => {
    const dir = tempDir();
    const record = (s: number, text: string) => JSON.stringify({ s, c: 'c1', e: message(text) });
    writeFileSync(join(dir, 'wal.log'), `${record(1, 'one')}\n${record(2, 'two')}\n{"s":3,"c":"c1","e":{"kind":"mess`);
    const store = await openLowdbStore(dir);
    assert.deepEqual((await store.read('c1')).map((e) => (e.kind === 'message' ? e.text : '')), ['one', 'two']);
    await store.append('c1', message('three'));
    await store.close();
    const again = await openLowdbStore(dir);
    assert.deepEqual((await again.read('c1')).map((e) => (e.kind === 'message' ? e.text : '')), ['one', 'two', 'three']);
    await again.close();
  });

  it('refuses to open on a log damaged in the middle, naming the line, and leaves it untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wal.log'), `garbage\n${JSON.stringify({ s: 1, c: 'c1', e: message('x') })}\n`);
    await assert.rejects(openLowdbStore(dir), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CORRUPT' && /wal\.log:1/.test(e.message));
    lockDataDir(dir).release(); // the failed open let the lock go
  });

  it('folds the log into the conversation files without losing or repeating an event', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    const n = FOLD_EVERY + 250;
    for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: 250 }, (_, k) => store.append(`c${(i + k) % 7}`, message(`m${i + k}`))));
    await store.close();
    const again = await openLowdbStore(dir);
    const all = (await Promise.all(Array.from({ length: 7 }, (_, c) => again.read(`c${c}`)))).flat();
    assert.equal(all.length, n);
    assert.equal(new Set(all.map((e) => (e.kind === 'message' ? e.text : ''))).size, n);
    await again.close();
  });

  it('keeps appending and reading while a fold runs, and nothing is lost or doubled', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    const texts = (events: readonly StoredEvent[]) => events.map((e) => (e.kind === 'message' ? e.text : ''));
    for (let i = 0; i < FOLD_EVERY; i += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => store.append('busy', message(`m${i + k}`))));
    // The next append starts a fold; more appends and reads go on while it writes the files.
    const during = Array.from({ length: 300 }, (_, k) => store.append('busy', message(`m${FOLD_EVERY + k}`)));
    const read = await store.read('busy');
    await Promise.all(during);
    assert.deepEqual(texts(read).slice(0, FOLD_EVERY), Array.from({ length: FOLD_EVERY }, (_, i) => `m${i}`));
    assert.deepEqual(texts(await store.read('busy')), Array.from({ length: FOLD_EVERY + 300 }, (_, i) => `m${i}`));
    await store.close();
    const again = await openLowdbStore(dir);
    assert.equal((await again.read('busy')).length, FOLD_EVERY + 300);
    await again.close();
  });

  it('replays a fold that a crash cut short, older records first', async () => {
    const dir = tempDir();
    const record = (s: number, text: string) => JSON.stringify({ s, c: 'c1', e: message(text) });
    writeFileSync(join(dir, 'wal.folding.log'), `${record(1, 'one')}\n${record(2, 'two')}\n`);
    writeFileSync(join(dir, 'wal.log'), `${record(3, 'three')}\n`);
    const store = await openLowdbStore(dir);
    assert.deepEqual((await store.read('c1')).map((e) => (e.kind === 'message' ? e.text : '')), ['one', 'two', 'three']);
    assert.equal(existsSync(join(dir, 'wal.folding.log')), false);
    await store.close();
  });

  it('refuses to be used after close', async () => {
    const store = await openLowdbStore(tempDir());
    await store.close();
    await assert.rejects(store.append('a', message('late')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED');
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
    const store = await openLowdbStore(dir);
    const texts = (await store.read('crash-test')).map((e) => (e.kind === 'message' ? e.text : ''));
    await store.close();
    assert.ok(texts.length >= acked + 1, `acked ${acked + 1} messages, found ${texts.length}`);
    assert.deepEqual(texts.slice(0, acked + 1), Array.from({ length: acked + 1 }, (_, i) => `message ${i}`));
  });
});
