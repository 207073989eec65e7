import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { BackupError } from '../../../src/bot/store/backup-format.js';
import { snapshotDataDir, type DataDirSnapshot } from '../../../src/bot/store/lowdb-snapshot.js';
import { encodeRecord } from '../../../src/bot/store/log-record.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../../src/bot/store/store.js';
import { storeFs } from '../../../src/bot/store/store-fs.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const CONVERSATIONS = ['a', 'b', 'c', 'd', 'e'];

async function numbersIn(snapshot: DataDirSnapshot): Promise<number[]> {
  const out: number[] = [];
  for await (const { events } of snapshot.conversations()) for (const e of events) if (e.kind === 'message') out.push(Number(e.text));
  return out.sort((x, y) => x - y);
}

/** Runs `appends` and waits until the store has moved wal.log aside for a fold (a new file has its name). */
async function rotateWith(dir: string, appends: () => Promise<unknown>): Promise<void> {
  const inode = statSync(join(dir, 'wal.log')).ino;
  await appends();
  while (statSync(join(dir, 'wal.log'), { throwIfNoEntry: false })?.ino === inode) await new Promise((r) => setTimeout(r, 5));
}

describe('a snapshot of a data directory without its lock', () => {
  after(cleanTempDirs);

  it('is the store as of one moment while appends and folds go on: every acknowledged append before it, and a prefix of the appends across conversations', async () => {
    const dir = tempDir();
    // A fold every 10 records: the log is rotated and folded many times while the snapshots read.
    const store = await openLowdbStore(dir, { foldEvery: 10 });
    let acked = 0;
    let stop = false;
    // One append at a time, across five conversations: append n is acknowledged before append n + 1 begins.
    const appending = (async () => {
      for (let n = 0; !stop; n++) {
        const event: StoredEvent = { kind: 'message', at: new Date().toISOString(), from: 'customer', text: String(n), id: `m${n}` };
        await store.append(CONVERSATIONS[n % CONVERSATIONS.length] as string, event);
        acked = n + 1;
      }
    })();
    try {
      let retried = 0;
      for (let round = 0; round < 30; round++) {
        const before = acked;
        const snapshot = await snapshotDataDir(dir);
        const numbers = await numbersIn(snapshot);
        retried += snapshot.attempts - 1;
        assert.ok(numbers.length >= before, `round ${round}: ${numbers.length} appends in the snapshot, ${before} acknowledged before it began`);
        assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i), `round ${round}: the snapshot is not a prefix of the appends (a cut across a fold)`);
        assert.deepEqual(snapshot.problems, []);
      }
      // Not asserted (timing): how often a fold made a read start again.
      if (process.env['TACT_TEST_LOG']) process.stderr.write(`snapshots read again after a fold: ${retried}\n`);
    } finally {
      stop = true;
      await appending;
      await store.close();
    }
  });

  it('reads again when the log is rotated between reading the folding log and the live log, and misses nothing', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir, { foldEvery: 10 });
    const append = (n: number) => store.append(CONVERSATIONS[n % CONVERSATIONS.length] as string, { kind: 'message', at: new Date().toISOString(), from: 'customer', text: String(n), id: `m${n}` });
    for (let n = 0; n < 5; n++) await append(n);
    const { readFile, rename } = storeFs;
    let openFold = (): void => undefined;
    const foldHeld = new Promise<void>((resolve) => (openFold = resolve));
    let foldingReads = 0;
    // The fold writes no conversation file until the snapshot's second read: its records are only in wal.folding.log meanwhile.
    storeFs.rename = async (from, to) => {
      if (to.includes(`${sep}conversations${sep}`)) await foldHeld;
      return rename(from, to);
    };
    // Right after the snapshot's first look at wal.folding.log (none yet), five more appends fill the log and it is rotated.
    storeFs.readFile = async (path) => {
      if (!path.endsWith('wal.folding.log')) return readFile(path);
      foldingReads++;
      try {
        return await readFile(path);
      } finally {
        if (foldingReads === 1) await rotateWith(dir, () => Promise.all([5, 6, 7, 8, 9].map(append)));
        else openFold();
      }
    };
    try {
      const snapshot = await snapshotDataDir(dir);

      assert.deepEqual(await numbersIn(snapshot), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.ok(snapshot.attempts > 1, 'the read was made again');
    } finally {
      Object.assign(storeFs, { readFile, rename });
      openFold();
      await store.close();
    }
  });

  it('leaves out a damaged log record and a conversation file that cannot be read, and names both', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await store.append('kept', { kind: 'duty', at: '2026-12-06T10:00:00.000Z', agent: 'Lin', on: true });
    await store.close();
    writeFileSync(join(dir, 'conversations', 'broken.json'), '{"id":"broken","events":[');
    writeFileSync(join(dir, 'wal.log'), `0badc0de {"s":99,"c":"x","e":{"kind":"duty"}}\n${encodeRecord({ s: 100, c: 'late', e: { kind: 'duty', at: '2026-12-06T10:00:00.000Z', agent: 'Lin', on: false } })}`);

    const snapshot = await snapshotDataDir(dir);

    const ids: string[] = [];
    for await (const { id } of snapshot.conversations()) ids.push(id);
    assert.deepEqual(ids, ['kept', 'late']);
    assert.equal(snapshot.problems.length, 2, snapshot.problems.join('\n'));
    assert.match(snapshot.problems.join('\n'), /conversations\/broken\.json cannot be read/);
    assert.match(snapshot.problems.join('\n'), /wal\.log:1 is a damaged record \(its checksum does not match/);
  });

  it('refuses a folder that is not a data directory', async () => {
    await assert.rejects(snapshotDataDir(join(tempDir(), 'nope')), (err: unknown) => err instanceof BackupError && err.code === 'BACKUP_SOURCE');
  });
});
