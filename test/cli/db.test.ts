import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openPgStore } from '../../src/bot/store/pg-store.js';
import { cleanTestDatabases, createTestDatabase } from '../helpers/postgres.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

/** Runs the built CLI without blocking the event loop (the database helper talks to PostgreSQL meanwhile). */
function tact(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TACT_DATABASE_URL: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const noStack = (text: string): void => assert.doesNotMatch(text, /^\s+at /m, text);

describe('tact db migrate', () => {
  after(cleanTestDatabases);

  it('applies the migrations a database lacks, then finds it up to date; the store opens on it', async () => {
    const url = await createTestDatabase();
    const first = await tact(['db', 'migrate'], { TACT_DATABASE_URL: url });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /applied 001-conversations-and-events/);
    const again = await tact(['db', 'migrate', '--url', url]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /up to date/);
    const store = await openPgStore(url);
    assert.deepEqual(await store.conversations(), []);
    await store.close();
  });

  it('names a database it cannot reach, without the password or a stack trace (exit 1)', async () => {
    const r = await tact(['db', 'migrate', '--url', 'postgres://tact:hunter2@127.0.0.1:1/tact']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot be reached .*ECONNREFUSED.*\(DB_UNREACHABLE\)/);
    assert.doesNotMatch(r.stderr, /hunter2/);
    noStack(r.stderr);
  });

  it('refuses a URL that is not a postgres:// one, and a missing one (exit 2)', async () => {
    const bad = await tact(['db', 'migrate'], { TACT_DATABASE_URL: 'localhost:5432' });
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /postgres:\/\/.*\(DB_BAD_URL\)/);
    noStack(bad.stderr);
    const missing = await tact(['db', 'migrate']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /TACT_DATABASE_URL/);
  });
});
