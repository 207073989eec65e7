import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, lockDataDir } from '../../src/bot/store/lock.js';
import { cleanTempDirs, shopKb, tempDir } from '../helpers/temp-kb.js';
import { freePort, killHard, requireRoot, startTact, stopped, type TactProcess } from '../helpers/tact-process.js';
import { zombie } from '../helpers/zombie.js';

const CRASH_PRELOAD = join(import.meta.dirname, '..', 'fixtures', 'crash-on-signal.mjs');
/** A pid no process has (above the kernel's pid_max). */
const DEAD_PID = 2147483646;

function crashLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['event'] === 'process.crashed');
}

describe('tact start', function () {
  this.timeout(60_000);
  const running: TactProcess[] = [];
  const others: ChildProcess[] = [];
  const env = async (dataDir = tempDir()): Promise<Record<string, string>> => ({ PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: dataDir });
  const start = async (vars: Record<string, string>, opts: Parameters<typeof startTact>[1] = {}): Promise<TactProcess> => {
    const tact = await startTact(vars, opts);
    running.push(tact);
    return tact;
  };
  after(async () => {
    await Promise.all(running.map((t) => killHard(t)));
    for (const child of others) child.kill('SIGKILL');
    cleanTempDirs();
  });

  it('comes back every time as pid 1 of a container, killed with SIGKILL three times on the same data directory', async function () {
    requireRoot(this, 'running the server as pid 1 of a pid namespace');
    const vars = await env();
    const refused: string[] = [];
    for (let run = 0; run < 4; run++) {
      const tact = await start(vars, { asPid1: true });
      if (!tact.running) {
        refused.push(`start ${run}: exit ${tact.exitCode}: ${tact.stderr.trim()}`);
        continue;
      }
      assert.match(readFileSync(join(vars['TACT_DATA_DIR'] as string, LOCK_FILE), 'utf8'), /^(?:1\n|\{"pid":1,)/, 'the server is pid 1 in its namespace');
      assert.equal((await fetch(`${tact.url}/healthz`)).status, 200);
      await killHard(tact, true);
    }
    assert.deepEqual(refused, [], 'restarts refused');
  });

  it('starts over a stale lock file whose pid is now a live, unrelated process', async () => {
    const vars = await env();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    others.push(sleeper);
    writeFileSync(join(vars['TACT_DATA_DIR'] as string, LOCK_FILE), `${sleeper.pid}\n`);
    const tact = await start(vars);
    assert.ok(tact.running, tact.stderr);
  });

  it('starts over a lock file whose pid is an unreaped zombie', async () => {
    const vars = await env();
    const { pid, parent } = await zombie();
    others.push(parent);
    writeFileSync(join(vars['TACT_DATA_DIR'] as string, LOCK_FILE), `${pid}\n`);
    const tact = await start(vars);
    assert.ok(tact.running, tact.stderr);
  });

  it('lets exactly one of two servers started at once on a stale lock run, and the other names it', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, LOCK_FILE), `${DEAD_PID}\n`);
    const both = await Promise.all([start(await env(dataDir)), start(await env(dataDir))]);
    const winners = both.filter((t) => t.running);
    const loser = both.find((t) => !t.running);
    assert.equal(winners.length, 1, both.map((t) => t.stderr).join('\n'));
    assert.equal(loser?.exitCode, 2);
    assert.match(loser?.stderr ?? '', new RegExp(`in use by another Tact process \\(pid ${winners[0]?.child.pid}\\) since `));
  });

  for (const kind of ['exception', 'rejection'] as const) {
    it(`logs an unhandled ${kind} as one JSON line without request headers, exits non-zero, and frees its port and data directory`, async () => {
      const vars = await env();
      const tact = await start({ ...vars, TACT_TEST_CRASH: kind }, { preload: CRASH_PRELOAD });
      assert.ok(tact.running, tact.stderr);
      tact.child.kill('SIGUSR2');
      await stopped(tact);
      assert.notEqual(tact.exitCode, 0, 'exits non-zero');
      assert.notEqual(tact.exitCode, null, 'exits by itself, not by a signal');
      const output = tact.stdout + tact.stderr;
      assert.doesNotMatch(output, /crash-test-secret|authorization|cookie/i, 'no request headers in the crash log');
      const [crash, ...more] = crashLines(tact.stdout);
      assert.equal(more.length, 0, 'one line');
      assert.equal(crash?.['level'], 'error');
      assert.deepEqual(crash?.['error'] && Object.keys(crash['error'] as object).sort(), ['code', 'message', 'name', 'stack']);
      assert.match(JSON.stringify(crash), /a request nobody handled.*TEST_CRASH/);
      lockDataDir(vars['TACT_DATA_DIR'] as string).release();
      const again = await start(vars);
      assert.ok(again.running, `a new server starts at once on the same port and data directory: ${again.stderr}`);
    });
  }

  it('refuses a read-only data directory with exit 2 and a message naming TACT_DATA_DIR, never a raw EROFS', async function () {
    requireRoot(this, 'mounting a read-only data directory');
    const empty = await env();
    const used = await env();
    mkdirSync(join(used['TACT_DATA_DIR'] as string, 'conversations'));
    writeFileSync(join(used['TACT_DATA_DIR'] as string, LOCK_FILE), '');
    for (const vars of [empty, used]) {
      const tact = await start(vars, { readOnlyDataDir: true });
      assert.equal(tact.exitCode, 2, tact.stderr);
      assert.match(tact.stderr, /^tact: the data directory .* \(TACT_DATA_DIR\) is on a read-only file system\. Tact keeps its conversations there: make it writable .* or set TACT_DATA_DIR to a writable directory \(STORE_UNWRITABLE\)\n$/);
      assert.doesNotMatch(tact.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
