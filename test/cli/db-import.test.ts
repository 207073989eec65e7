import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import { withSeqs } from '../../src/bot/store/pg-import.js';
import { openPgStore } from '../../src/bot/store/pg-store.js';
import { HISTORY, writeHistory, writeManyConversations } from '../helpers/lowdb-history.js';
import { cleanTestDatabases, createTestDatabase, track } from '../helpers/postgres.js';
import { clearFaults } from '../helpers/store-faults.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the built CLI without blocking the event loop (the test talks to PostgreSQL meanwhile). */
function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TACT_DATABASE_URL: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

const tact = (args: string[], env: Record<string, string> = {}) => start(args, env).done;
const noStack = (text: string): void => assert.doesNotMatch(text, /^\s+at /m, text);

async function countRows(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** Polls `check` (a query) until it holds, or fails naming `what`. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('tact db import-lowdb', () => {
  after(cleanTestDatabases);
  after(cleanTempDirs);
  afterEach(clearFaults);

  it('imports every conversation of a data directory with its numbers, verifies it, and imports nothing when run again', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    const url = await createTestDatabase();

    const first = await tact(['db', 'import-lowdb', dir, '--url', url]);

    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /applied 001-conversations-and-events/);
    assert.match(first.stdout, new RegExp(`${ids.length} conversations: ${ids.length} imported \\(\\d+ events, \\d+ messages\\), 0 already there, 0 refused`));
    assert.match(first.stdout, /^verified: /m);
    const lowdb = track(await openLowdbStore(dir));
    const db = track(await openPgStore(url));
    for (const id of ids) assert.deepEqual(await db.read(id), withSeqs(await lowdb.read(id)), `conversation ${id}`);
    await Promise.all([lowdb.close(), db.close()]);

    const again = await tact(['db', 'import-lowdb', dir], { TACT_DATABASE_URL: url });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, new RegExp(`${ids.length} conversations: 0 imported \\(0 events, 0 messages\\), ${ids.length} already there, 0 refused`));
  });

  it('finishes after being killed midway, with every conversation whole and none doubled', async () => {
    const dir = tempDir();
    const total = 800;
    await writeManyConversations(dir, total);
    const url = await createTestDatabase();

    const run = start(['db', 'import-lowdb', dir, '--url', url]);
    const migrated = "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'tact_events'";
    await waitFor('100 conversations imported', async () => (await countRows(url, migrated)) === 1 && (await countRows(url, 'SELECT count(*)::int AS n FROM tact_conversations')) >= 100);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.code, null, `killed by the signal, not finished: ${killed.stdout}`);
    const before = await countRows(url, 'SELECT count(*)::int AS n FROM tact_conversations');
    assert.ok(before < total, `killed midway (${before} of ${total} imported)`);
    assert.equal(await countRows(url, 'SELECT count(*)::int AS n FROM (SELECT conversation FROM tact_events GROUP BY conversation HAVING count(*) <> 3) partial'), 0, 'no conversation half-imported');

    const rerun = await tact(['db', 'import-lowdb', dir, '--url', url]);

    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    const [, imported, present] = /(\d+) imported .*, (\d+) already there, 0 refused/.exec(rerun.stdout) ?? [];
    assert.equal(Number(imported) + Number(present), total, rerun.stdout);
    assert.ok(Number(present) >= before, rerun.stdout);
    assert.equal(await countRows(url, 'SELECT count(*)::int AS n FROM tact_events'), total * 3);
  });

  it('refuses while a server holds the data directory, saying to stop it first (exit 1)', async () => {
    const dir = tempDir();
    await writeHistory(dir);
    const server = track(await openLowdbStore(dir));
    const url = await createTestDatabase();

    const r = await tact(['db', 'import-lowdb', dir, '--url', url]);

    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /in use by another Tact process.*stop the server first.*\(STORE_LOCKED\)/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    noStack(r.stderr);
    assert.equal(await countRows(url, 'SELECT count(*)::int AS n FROM tact_conversations'), 0);
    await server.close();
  });

  it('names a conversation the database already holds differently, leaves it, and exits 1', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    const url = await createTestDatabase();
    const db = track(await openPgStore(url));
    await db.append(HISTORY.duty, { kind: 'duty', at: '2026-11-28T09:00:00.000Z', agent: 'Lin', on: true });

    const r = await tact(['db', 'import-lowdb', dir, '--url', url]);

    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`${ids.length - 1} imported .*, 0 already there, 1 refused`));
    assert.match(r.stderr, /refused: conversation agent-duty is already in the database with 1 events/);
    assert.match(r.stderr, /1 of 8 conversations are not verified; nothing was overwritten \(DB_IMPORT_UNVERIFIED\)/);
    assert.equal((await db.read(HISTORY.duty)).length, 1);
    await db.close();
  });

  it('refuses a missing data directory, a URL that is not one, and no URL at all (exit 2)', async () => {
    const dir = tempDir();
    await writeHistory(dir);
    const missing = await tact(['db', 'import-lowdb', join(dir, 'nope'), '--url', 'postgres://postgres@127.0.0.1/x']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /is not a Tact data directory.*\(DB_NO_DATA_DIR\)/);
    const bad = await tact(['db', 'import-lowdb', dir], { TACT_DATABASE_URL: 'localhost:5432' });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /postgres:\/\/.*\(DB_BAD_URL\)/);
    noStack(bad.stderr);
    const noUrl = await tact(['db', 'import-lowdb', dir]);
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /TACT_DATABASE_URL/);
    const noDir = await tact(['db', 'import-lowdb', '--url', 'postgres://postgres@127.0.0.1/x']);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /takes one data directory/);
  });

  it('names a database it cannot reach, without the password or a stack trace (exit 1)', async () => {
    const dir = tempDir();
    await writeHistory(dir);
    const r = await tact(['db', 'import-lowdb', dir, '--url', 'postgres://tact:hunter2@127.0.0.1:1/tact']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot be reached .*ECONNREFUSED.*\(DB_UNREACHABLE\)/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    noStack(r.stderr);
  });
});
