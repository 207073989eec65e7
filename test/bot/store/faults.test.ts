/**
 * Fault injection at the store's file-system seam: each fault a disk or a
 * kernel can throw at the store (EIO, ENOSPC, EMFILE on write, fdatasync,
 * rename, open), and in each case no acknowledged message is lost and the
 * store carries on once the fault clears.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../../src/bot/log.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { StoreError, type Store } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { clearFaults, inject, type FsCall } from '../../helpers/store-faults.js';
import { until } from '../../helpers/until.js';
import { message, texts } from './store-contract.js';

/** Appends, remembering which appends were acknowledged and which refused. */
async function appendAll(store: Store, id: string, names: readonly string[], acked: string[], refused: string[] = []): Promise<void> {
  for (const name of names) {
    try {
      await store.append(id, message(name));
      acked.push(name);
    } catch {
      refused.push(name);
    }
  }
}

async function historyAfterReopen(dir: string, id: string): Promise<string[]> {
  const store = await openLowdbStore(dir);
  try {
    return texts(await store.read(id));
  } finally {
    await store.close();
  }
}

describe('the lowdb store under file-system faults', () => {
  after(cleanTempDirs);
  afterEach(clearFaults);

  describe('appends are all or nothing', () => {
    for (const [call, code, torn] of [
      ['write', 'ENOSPC', true],
      ['write', 'EIO', false],
      ['fdatasync', 'EIO', false],
    ] as const) {
      it(`refuses an append whose ${call} fails (${code}${torn ? ', half written' : ''}), leaves none of it behind, and stores the next`, async () => {
        const dir = tempDir();
        const store = await openLowdbStore(dir);
        await store.append('c1', message('before'));
        const fault = inject(call, code, { path: /wal\.log$/, times: 1, torn });
        await assert.rejects(store.append('c1', message('refused')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_WRITE_FAILED');
        assert.equal(fault.hits, 1);
        await store.append('c1', message('after'));
        assert.deepEqual(texts(await store.read('c1')), ['before', 'after']);
        // As a kill would leave it: the log is read again without a clean close.
        assert.ok(!readFileSync(join(dir, 'wal.log'), 'utf8').includes('refused'), 'the refused record is not in the log');
        await store.close();
        assert.deepEqual(await historyAfterReopen(dir, 'c1'), ['before', 'after']);
      });
    }

    it('refuses every append with STORE_UNWRITABLE while the log cannot even be cut back, and recovers when the fault clears', async () => {
      const dir = tempDir();
      const store = await openLowdbStore(dir);
      await store.append('c1', message('before'));
      const write = inject('write', 'EIO', { path: /wal\.log$/, times: 1, torn: true });
      const truncate = inject('ftruncate', 'EIO', { path: /wal\.log$/ });
      await assert.rejects(store.append('c1', message('refused 1')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_UNWRITABLE');
      await assert.rejects(store.append('c1', message('refused 2')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_UNWRITABLE');
      assert.equal(store.health().status, 'degraded');
      assert.equal(write.hits, 1);
      truncate.clear();
      await store.append('c1', message('after'));
      assert.equal(store.health().status, 'ok');
      await store.close();
      assert.deepEqual(await historyAfterReopen(dir, 'c1'), ['before', 'after']);
    });
  });

  describe('a fold that fails', () => {
    const faults: [FsCall, string, RegExp][] = [
      ['open', 'EMFILE', /conversations/],
      ['write', 'ENOSPC', /conversations/],
      ['fsync', 'EIO', /conversations/],
      ['rename', 'EIO', /conversations/],
      ['rename', 'ENOSPC', /control/],
      ['rename', 'EIO', /wal\.log$/],
    ];
    for (const [call, code, path] of faults) {
      it(`is logged, counted, retried first, and loses nothing (${code} on ${call} of ${path.source})`, async () => {
        const dir = tempDir();
        const logged: string[] = [];
        const store = await openLowdbStore(dir, { foldEvery: 10, foldRetryMs: 5, log: createLogger('debug', (l) => logged.push(l)) });
        const acked: string[] = [];
        await appendAll(store, 'c1', ['early'], acked);
        const fault = inject(call, code, { path });
        // Many folds' worth of appends while every fold fails: the wave-1 store renamed the next log over the unfolded one.
        await appendAll(store, 'c1', Array.from({ length: 60 }, (_, i) => `during ${i}`), acked);
        assert.deepEqual(texts(await store.read('c1')), acked);
        await until('a failed fold', () => store.health().failedFolds >= 2);
        assert.equal(store.health().status, 'degraded');
        assert.ok(logged.some((l) => l.includes('store.fold_failed') && l.includes(code)), logged.join(''));
        fault.clear();
        await until('the fold to recover', () => store.health().status === 'ok', 5000, () => JSON.stringify(store.health()));
        await appendAll(store, 'c1', ['later'], acked);
        assert.deepEqual(texts(await store.read('c1')), acked);
        await store.close();
        assert.deepEqual(await historyAfterReopen(dir, 'c1'), acked);
      });
    }

    it('keeps the acknowledged records when the store is closed while folds still fail, and folds them at the next start', async () => {
      const dir = tempDir();
      const store = await openLowdbStore(dir, { foldEvery: 5, foldRetryMs: 5 });
      const acked: string[] = [];
      inject('open', 'EMFILE', { path: /conversations/ });
      await appendAll(store, 'c1', Array.from({ length: 30 }, (_, i) => `m${i}`), acked);
      await store.close();
      clearFaults();
      assert.deepEqual(await historyAfterReopen(dir, 'c1'), acked);
    });
  });

  it('opens even when the fold at start fails, serves from the log, and folds once the fault clears', async () => {
    const dir = tempDir();
    const first = await openLowdbStore(dir, { foldEvery: 1000 });
    await first.append('c1', message('one'));
    // Killed: the record stays in the log only.
    inject('open', 'EMFILE', { path: /conversations/ });
    await first.close().catch(() => undefined);
    const second = await openLowdbStore(dir, { foldRetryMs: 5 });
    assert.equal(second.health().status, 'degraded');
    assert.deepEqual(texts(await second.read('c1')), ['one']);
    await second.append('c1', message('two'));
    clearFaults();
    await until('the fold to recover', () => second.health().status === 'ok');
    await second.close();
    assert.deepEqual(await historyAfterReopen(dir, 'c1'), ['one', 'two']);
  });
});
