import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../src/bot/log.js';
import { crc32c } from '../../../src/bot/store/crc32c.js';
import { LOCK_FILE } from '../../../src/bot/store/lock.js';
import { FOLD_EVERY, openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { numberedMessages, StoreError, type StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { clearFaults, count, inject } from '../../helpers/store-faults.js';
import { describeStoreContract, message, texts } from './store-contract.js';
import { filesHolding } from '../../helpers/traces.js';

/** A log line as the store writes it: the record's CRC32C in hex, a space, the record. */
const line = (s: number, c: string, e: StoredEvent): string => {
  const json = JSON.stringify({ s, c, e });
  return `${crc32c(json).toString(16).padStart(8, '0')} ${json}\n`;
};
/** A log line as the first version wrote it: the record alone. */
const legacy = (s: number, c: string, e: StoredEvent): string => `${JSON.stringify({ s, c, e })}\n`;
const conversationFile = (id: string, lastSeq: number, events: readonly StoredEvent[]): string => JSON.stringify({ id, lastSeq, events });

function capture(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  return { log: createLogger('debug', (l) => out.push(l)), lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const CHILD = join(import.meta.dirname, '..', '..', 'fixtures', 'store-child.ts');

/**
 * Runs the child store on `dir` and SIGKILLs it once it has acked `n`
 * appends (idle: once it is open; `starting`: `n` ms after it began opening
 * the store); returns the last acked number.
 */
async function runAndKill(dir: string, mode: 'append' | 'spread' | 'idle' | 'starting', prefix = 'message', n = 20, foldEvery?: number): Promise<number> {
  const args = [dir, mode === 'starting' ? 'idle' : mode, prefix, ...(foldEvery ? [String(foldEvery)] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let acked = -1;
  let killed = false;
  await new Promise<void>((resolve, reject) => {
    void exited.then((code) => killed || reject(new Error(`the child store exited by itself (${String(code)})`)));
    child.stdout.setEncoding('utf8');
    const kill = (): void => {
      if (killed) return;
      killed = true;
      child.kill('SIGKILL');
      resolve();
    };
    child.stdout.on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/acked (\d+)/g)) acked = Number(m[1]);
      if (mode === 'starting' && chunk.includes('opening')) setTimeout(kill, n);
      else if ((mode === 'idle' && /^open$/m.test(chunk)) || (mode !== 'starting' && acked >= n)) {
        kill();
      }
    });
  });
  await exited;
  return acked;
}

describeStoreContract('the lowdb store', () => {
  const dir = tempDir();
  return { open: () => openLowdbStore(dir), traces: async (text) => filesHolding(dir, text) };
});


describe('the lowdb store', () => {
  after(cleanTempDirs);
  afterEach(clearFaults);

  it('writes one file per conversation, a control file, and leaves no temporary files', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await store.append('a', message('hi'));
    await store.append('b', message('hello'));
    await store.close();
    assert.deepEqual(readdirSync(join(dir, 'conversations')).sort(), ['a.json', 'b.json']);
    assert.deepEqual(readdirSync(dir).sort(), ['control.json', 'conversations', 'quarantine', LOCK_FILE, 'wal.log'].sort());
  });

  it('refuses a redaction that waited behind a fold when the store closed meanwhile, and closes whole', async () => {
    const dir = tempDir();
    // Folding after every append: the append below starts a fold, and the redaction waits behind it.
    const store = await openLowdbStore(dir, { foldEvery: 1 });
    await store.append('c1', { kind: 'message', at: '2026-12-06T00:00:00.000Z', from: 'customer', text: 'keep me', id: 'w1' });
    const redacting = store.redact('c1', (e) => e);
    const closing = store.close();
    await assert.rejects(redacting, (e: unknown) => e instanceof StoreError && /closed/.test(e.message));
    await closing;
    const again = await openLowdbStore(dir);
    assert.deepEqual((await again.read('c1')).map((e) => (e.kind === 'message' ? e.text : e.kind)), ['keep me']);
    await again.close();
  });

  it('refuses a second store on the same data directory with a clear message', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await assert.rejects(openLowdbStore(dir), (e: unknown) => e instanceof StoreError && e.code === 'STORE_LOCKED' && /in use by another Tact process/.test(e.message));
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

  describe('restarts', () => {
    it('keeps every acknowledged message through kill -9 while appending, twice while idle, and again while appending', async function () {
      this.timeout(40_000);
      const dir = tempDir();
      const first = await runAndKill(dir, 'append', 'first');
      await runAndKill(dir, 'idle');
      await runAndKill(dir, 'idle');
      const second = await runAndKill(dir, 'append', 'second');
      const store = await openLowdbStore(dir);
      const read = texts(await store.read('crash-test'));
      await store.close();
      const acked = [...Array.from({ length: first + 1 }, (_, i) => `first ${i}`), ...Array.from({ length: second + 1 }, (_, i) => `second ${i}`)];
      assert.deepEqual(read.filter((t) => acked.includes(t)), acked, 'every acked message, in order');
      const onDisk = JSON.parse(readFileSync(join(dir, 'conversations', 'crash-test.json'), 'utf8')) as { events: StoredEvent[] };
      assert.deepEqual(texts(onDisk.events), read, 'folded into the conversation file at close');
    });

    it('keeps every acknowledged message when kills land in the middle of folds', async function () {
      this.timeout(40_000);
      const dir = tempDir();
      const acked: string[] = [];
      for (const round of ['a', 'b', 'c']) {
        const n = await runAndKill(dir, 'append', round, 40, 7);
        acked.push(...Array.from({ length: n + 1 }, (_, i) => `${round} ${i}`));
      }
      const store = await openLowdbStore(dir);
      const read = texts(await store.read('crash-test'));
      await store.close();
      assert.deepEqual(read.filter((t) => acked.includes(t)), acked);
      assert.equal(new Set(read).size, read.length, 'no message twice');
    });

    it('keeps every acknowledged message when kills land while the store is starting (replaying and folding its log)', async function () {
      this.timeout(40_000);
      const dir = tempDir();
      const n = await runAndKill(dir, 'spread', 'm', 600, 100_000);
      for (const delay of [0, 40, 120]) await runAndKill(dir, 'starting', '', delay);
      await runAndKill(dir, 'idle');
      const after = await runAndKill(dir, 'spread', 'after', 100, 100_000);
      const store = await openLowdbStore(dir);
      const stored = new Set((await Promise.all(Array.from({ length: 100 }, (_, c) => store.read(`c${c}`)))).flatMap(texts));
      await store.close();
      const acked = [...Array.from({ length: n + 1 }, (_, i) => `m ${i}`), ...Array.from({ length: after + 1 }, (_, i) => `after ${i}`)];
      assert.deepEqual(acked.filter((t) => !stored.has(t)), [], 'no acked message missing');
    });

    it('numbers records above every file after a restart, so a wave-1 data directory (no control file) keeps new messages', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 500, [message('old')]));
      writeFileSync(join(dir, 'wal.log'), '');
      const store = await openLowdbStore(dir);
      await store.append('c1', message('new'));
      assert.deepEqual(texts(await store.read('c1')), ['old', 'new']);
      await store.close();
      const control = JSON.parse(readFileSync(join(dir, 'control.json'), 'utf8')) as { highWater: number };
      assert.ok(control.highWater > 500, `high-water ${control.highWater}`);
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('c1')), ['old', 'new']);
      await again.close();
    });

    it('numbers new messages after those stored before the store numbered messages, counting them by their place', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 3, [message('one'), { kind: 'turn', at: '2026-11-27T10:00:00.000Z', id: 'x' }, message('two')]));
      writeFileSync(join(dir, 'wal.log'), '');
      const store = await openLowdbStore(dir);
      assert.equal(await store.append('c1', message('three')), 3);
      assert.deepEqual(
        [...numberedMessages(await store.read('c1'))].map(({ seq, message: m }) => `${seq} ${m.text}`),
        ['1 one', '2 two', '3 three'],
      );
      await store.close();
    });

    it('rescues, on upgrade, messages a wave-1 restart had numbered below their file, without doubling ones already folded', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 5, [message('m1'), message('m2'), message('m3'), message('m4'), message('m5')]));
      writeFileSync(join(dir, 'wal.log'), legacy(5, 'c1', message('m5')) + legacy(1, 'c1', message('acked after a restart')) + legacy(6, 'c1', message('m6')));
      const store = await openLowdbStore(dir);
      assert.deepEqual(texts(await store.read('c1')), ['m1', 'm2', 'm3', 'm4', 'm5', 'acked after a restart', 'm6']);
      await store.close();
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('c1')), ['m1', 'm2', 'm3', 'm4', 'm5', 'acked after a restart', 'm6']);
      await again.close();
    });

    it('treats a record at or below its file\'s last seq, outside any fold, as corruption naming the file and seq', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'control.json'), JSON.stringify({ version: 1, highWater: 10, folded: 10, folding: null, rescueThrough: 0, unfinished: {} }));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 10, [message('m10')]));
      writeFileSync(join(dir, 'wal.log'), line(11, 'c1', message('m11')) + line(4, 'c1', message('out of order')));
      const store = await openLowdbStore(dir, { foldRetryMs: 60_000 });
      await assert.rejects(store.read('c1'), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CORRUPT' && /conversations\/c1\.json/.test(e.message) && /\b4\b/.test(e.message));
      assert.equal(store.health().status, 'degraded');
      await store.close();
      const logs = ['wal.log', 'wal.folding.log'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f), 'utf8'));
      assert.ok(logs.join('').includes('out of order'), 'the record is kept in the log, not dropped');
    });

    it('moves seq above a conversation file found above the high-water mark, and says so', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'control.json'), JSON.stringify({ version: 1, highWater: 5, folded: 5, folding: null, rescueThrough: 0, unfinished: {} }));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 9, [message('m9')]));
      const store = await openLowdbStore(dir);
      assert.deepEqual(texts(await store.read('c1')), ['m9']);
      assert.ok(store.health().problems.some((p) => /c1\.json holds seq 9, above the high-water mark 5/.test(p)), store.health().problems.join('\n'));
      await store.append('c1', message('m10'));
      await store.close();
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('c1')), ['m9', 'm10']);
      assert.equal(again.health().status, 'ok');
      await again.close();
    });

    it('replays a fold a crash cut short without doubling what it had already written', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'conversations'));
      writeFileSync(join(dir, 'control.json'), JSON.stringify({ version: 1, highWater: 12, folded: 10, folding: 12, rescueThrough: 0, unfinished: {} }));
      writeFileSync(join(dir, 'conversations', 'c1.json'), conversationFile('c1', 12, [message('m10'), message('m11'), message('m12')]));
      writeFileSync(join(dir, 'wal.folding.log'), line(11, 'c1', message('m11')) + line(12, 'c1', message('m12')));
      writeFileSync(join(dir, 'wal.log'), line(13, 'c1', message('m13')));
      const store = await openLowdbStore(dir);
      assert.deepEqual(texts(await store.read('c1')), ['m10', 'm11', 'm12', 'm13']);
      assert.equal(store.health().status, 'ok');
      assert.equal(existsSync(join(dir, 'wal.folding.log')), false);
      await store.close();
    });
  });

  describe('damaged logs', () => {
    it('replays acknowledged appends after a crash and drops a torn last record', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'wal.log'), `${line(1, 'c1', message('one'))}${legacy(2, 'c1', message('two'))}${line(3, 'c1', message('three')).slice(0, 30)}`);
      const store = await openLowdbStore(dir);
      assert.deepEqual(texts(await store.read('c1')), ['one', 'two']);
      await store.append('c1', message('three'));
      await store.close();
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('c1')), ['one', 'two', 'three']);
      assert.equal(again.health().status, 'ok');
      await again.close();
    });

    it('salvages every intact record around a damaged one, keeps the damaged bytes aside and reports what they held', async () => {
      const dir = tempDir();
      const flipped = line(3, 'c1', message('hello')).replace('hello', 'hellp');
      writeFileSync(join(dir, 'wal.log'), line(1, 'c1', message('one')) + line(2, 'c2', message('two')) + flipped + 'garbage\n' + line(5, 'c1', message('five')));
      const { log, lines } = capture();
      const store = await openLowdbStore(dir, { log });
      assert.deepEqual(texts(await store.read('c1')), ['one', 'five']);
      assert.deepEqual(texts(await store.read('c2')), ['two']);
      const health = store.health();
      assert.equal(health.status, 'degraded');
      assert.ok(health.problems.some((p) => /wal\.log:3/.test(p) && /seq 3/.test(p) && /c1/.test(p)), health.problems.join('\n'));
      assert.ok(health.problems.some((p) => /wal\.log:4/.test(p)), health.problems.join('\n'));
      assert.deepEqual(store.problems, health.problems);
      await store.append('c1', message('six'));
      await store.close();
      const aside = readdirSync(join(dir, 'quarantine')).filter((f) => f.startsWith('wal.log'));
      assert.equal(aside.length, 1, readdirSync(join(dir, 'quarantine')).join(' '));
      const kept = readFileSync(join(dir, 'quarantine', aside[0] as string), 'utf8');
      assert.ok(kept.includes('hellp') && kept.includes('garbage'), kept);
      assert.equal(lines().length >= 0, true);
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('c1')), ['one', 'five', 'six']);
      assert.equal(again.health().status, 'ok');
      await again.close();
    });
  });

  describe('unreadable conversation files', () => {
    for (const [what, content] of [
      ['zero-length', ''],
      ['not JSON', '{"id":"broken","events":['],
      ['the wrong shape', '{"id":"broken","lastSeq":1}'],
      ['another conversation\'s file', conversationFile('other', 1, [message('x')])],
    ] as const) {
      it(`quarantines a ${what} file, says so with its id, and keeps the new message`, async () => {
        const dir = tempDir();
        mkdirSync(join(dir, 'conversations'));
        writeFileSync(join(dir, 'conversations', 'broken.json'), content);
        const { log, lines } = capture();
        const store = await openLowdbStore(dir, { log });
        await store.append('broken', message('after the damage'));
        await store.append('fine', message('other conversations are unaffected'));
        assert.deepEqual(texts(await store.read('broken')), ['after the damage']);
        assert.deepEqual(texts(await store.read('fine')), ['other conversations are unaffected']);
        const health = store.health();
        assert.equal(health.status, 'degraded');
        assert.equal(health.quarantined, 1);
        assert.ok(lines().some((l) => l['event'] === 'store.quarantined' && l['conversation'] === 'broken'), JSON.stringify(lines()));
        await store.close();
        assert.ok(readdirSync(join(dir, 'quarantine')).some((f) => f.startsWith('broken.json')), readdirSync(join(dir, 'quarantine')).join(' '));
        const again = await openLowdbStore(dir);
        assert.deepEqual(texts(await again.read('broken')), ['after the damage']);
        assert.equal(again.health().quarantined, 1, 'still counted while it sits in quarantine/');
        await again.close();
      });
    }

    it('quarantines a file it may not read (EACCES) and serves the rest', async () => {
      const dir = tempDir();
      const store = await openLowdbStore(dir);
      await store.append('locked', message('one'));
      await store.append('open', message('two'));
      await store.close();
      inject('readFile', 'EACCES', { path: /locked\.json$/ });
      const again = await openLowdbStore(dir);
      assert.deepEqual(texts(await again.read('open')), ['two']);
      assert.deepEqual(await again.read('locked'), []);
      assert.equal(again.health().quarantined, 1);
      await again.close();
    });
  });

  it('starts and lists unfinished conversations without reading any conversation file', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    for (let i = 0; i < 40; i++) await store.append(`c${i}`, message('hello', `m${i}`));
    for (let i = 0; i < 40; i += 2) await store.append(`c${i}`, { kind: 'turn', at: '2026-11-27T10:00:00.000Z', id: `m${i}` });
    await store.close();
    const reads = count('readFile', /conversations/);
    const again = await openLowdbStore(dir);
    const open = await again.unfinished();
    assert.equal(open.length, 20);
    assert.equal(reads.hits, 0);
    await again.close();
  });

  it('lists the conversations active since a time from the files\' times, reading none of them', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    for (const id of ['old', 'recent']) await store.append(id, message('hello'));
    await store.close();
    const long = new Date('2026-01-01T00:00:00.000Z');
    utimesSync(join(dir, 'conversations', 'old.json'), long, long);
    const again = await openLowdbStore(dir);
    const reads = count('readFile', /conversations/);
    assert.deepEqual(await again.conversations({ activeSince: new Date(Date.now() - 60_000) }), ['recent']);
    assert.equal(reads.hits, 0);
    await again.append('old', message('back again'));
    assert.deepEqual([...(await again.conversations({ activeSince: new Date(Date.now() - 60_000) }))].sort(), ['old', 'recent']);
    await again.close();
  });

  it('rebuilds the unfinished index after a kill from the control file and the log', async function () {
    this.timeout(40_000);
    const dir = tempDir();
    await runAndKill(dir, 'append', 'x', 10, 4);
    const store = await openLowdbStore(dir);
    // The child's messages carry no widget id, so none is pending; the conversation exists and is finished.
    assert.deepEqual(await store.unfinished(), []);
    await store.append('crash-test', message('a question', 'q1'));
    await store.close();
    const again = await openLowdbStore(dir);
    assert.deepEqual(await again.unfinished(), [{ id: 'crash-test', handoffAt: null, pendingTurns: ['q1'] }]);
    await again.close();
  });

  it('keeps the data directory to its owner: folders 0700, files 0600, whatever the umask, and fixes older ones', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conversations'), { mode: 0o755 });
    chmodSync(join(dir, 'conversations'), 0o755);
    writeFileSync(join(dir, 'conversations', 'old.json'), conversationFile('old', 1, [message('x')]), { mode: 0o644 });
    chmodSync(dir, 0o755);
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    const umask = process.umask(0);
    try {
      const store = await openLowdbStore(dir);
      await store.append('new', message('y'));
      for (const f of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile())) assert.equal(mode(join(dir, f.name)), '600', `${f.name} while open`);
      await store.close();
    } finally {
      process.umask(umask);
    }
    assert.equal(mode(dir), '700');
    for (const sub of ['conversations', 'quarantine']) assert.equal(mode(join(dir, sub)), '700', sub);
    for (const f of ['wal.log', 'control.json']) assert.equal(mode(join(dir, f)), '600', f);
    for (const f of readdirSync(join(dir, 'conversations'))) assert.equal(mode(join(dir, 'conversations', f)), '600', f);
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
    assert.equal(new Set(texts(all)).size, n);
    await again.close();
  });

  it('keeps appending and reading while a fold runs, and nothing is lost or doubled', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
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
});
