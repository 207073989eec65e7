import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { LOCK_FILE, lockDataDir } from '../../../src/bot/store/lock.js';
import { StoreError } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { zombie } from '../../helpers/zombie.js';

const WORKER = join(import.meta.dirname, '..', '..', 'fixtures', 'lock-worker.ts');
/** A pid no process has (above the kernel's pid_max): what a lock file from a long-dead server holds. */
const DEAD_PID = 2147483646;

const isLocked = (e: unknown): boolean => e instanceof StoreError && e.code === 'STORE_LOCKED';

/** A lock worker (test/fixtures/lock-worker.ts) in its own process, driven line by line. */
class Worker {
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];

  constructor(readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
  }

  static start(): Worker {
    return new Worker(spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  ask<T>(command: Record<string, unknown>): Promise<T> {
    return new Promise((resolve) => {
      this.pending.push((line) => resolve(JSON.parse(line) as T));
      this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  }

  async ready(): Promise<void> {
    await this.ask({ release: true });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the data-directory lock', function () {
  this.timeout(20_000);
  const started: ChildProcess[] = [];
  after(async () => {
    await Promise.all(started.map(killed));
    cleanTempDirs();
  });

  it('refuses a second holder while the first holds it, naming the holder and since when', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    assert.throws(() => lockDataDir(dir), (e: unknown) => isLocked(e) && new RegExp(`in use by another Tact process \\(pid ${process.pid}\\) since \\d{4}-\\d\\d-\\d\\dT`).test((e as Error).message));
    lock.release();
    lockDataDir(dir).release();
  });

  it('is taken at once when the pid in a stale lock file is a live, unrelated process', async () => {
    const dir = tempDir();
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(sleeper);
    writeFileSync(join(dir, LOCK_FILE), `${sleeper.pid}\n`);
    lockDataDir(dir).release();
  });

  it('is taken at once when the pid in a stale lock file is an unreaped zombie', async () => {
    const dir = tempDir();
    const { pid, parent } = await zombie();
    started.push(parent);
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    lockDataDir(dir).release();
  });

  it('is free the moment its holder is killed with SIGKILL', async () => {
    const dir = tempDir();
    const worker = Worker.start();
    started.push(worker.child);
    assert.deepEqual(await worker.ask({ go: dir, at: 0 }), { won: true });
    assert.throws(() => lockDataDir(dir), isLocked);
    await worker.stop();
    lockDataDir(dir).release();
  });

  it('lets exactly one of two processes racing for it win, 40 times out of 40, and the loser names the winner', async () => {
    const workers = [Worker.start(), Worker.start()];
    started.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.ready()));
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const dir = tempDir();
      // A stale lock from a dead server: the case where both used to take it over.
      writeFileSync(join(dir, LOCK_FILE), `${DEAD_PID}\n`);
      const at = Date.now() + 30;
      const results = await Promise.all(workers.map((w) => w.ask<{ won: boolean; message?: string }>({ go: dir, at })));
      const winners = results.flatMap((r, i) => (r.won ? [workers[i] as Worker] : []));
      const named = new RegExp(`in use by another Tact process \\(pid ${winners[0]?.child.pid}\\)`).test(results.find((r) => !r.won)?.message ?? '');
      outcomes.push(winners.length === 1 && named ? 'ok' : `${winners.length} won${winners.length === 1 ? ` and the loser said: ${results.find((r) => !r.won)?.message}` : ''}`);
      await Promise.all(workers.map((w) => w.ask({ release: true })));
    }
    assert.deepEqual(outcomes.filter((o) => o !== 'ok'), [], `outcomes of 40 races: ${outcomes.join(', ')}`);
  });

  it('never undoes a later holder\'s lock when an earlier one releases twice', () => {
    const dir = tempDir();
    const first = lockDataDir(dir);
    first.release();
    const second = lockDataDir(dir);
    first.release();
    assert.throws(() => lockDataDir(dir), isLocked, 'the second holder still holds it');
    second.release();
  });
});
