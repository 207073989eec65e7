import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AUDIT_LOG } from '../../src/bot/pipeline/staff-audit.js';
import { Staff } from '../../src/bot/pipeline/staff.js';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import { openPgStore } from '../../src/bot/store/pg-store.js';
import { cleanTestDatabases, createTestDatabase } from '../helpers/postgres.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');
const PASSWORD = 'correct horse battery';

/** Runs the built CLI with `stdin` piped in (not a terminal, so the password is its first line). */
function tact(args: string[], stdin = '', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TACT_DATABASE_URL: '', TACT_DATA_DIR: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const noStack = (text: string): void => assert.doesNotMatch(text, /^\s+at /m, text);

describe('tact staff', function () {
  this.timeout(60_000);
  after(async () => {
    cleanTempDirs();
    await cleanTestDatabases();
  });

  it('adds, lists, sets a password, revokes and removes people in the data directory, recording who did it', async () => {
    const data = tempDir();
    const add = await tact(['staff', 'add', 'Lin Wei', '--role', 'agent', '--data', data], `${PASSWORD}\n`);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added Lin Wei (agent)\n');
    assert.equal((await tact(['staff', 'add', 'anna', '--role', 'editor', '--data', data], `${PASSWORD}\r\n`)).code, 0, 'a CRLF line end is not part of the password');
    const list = await tact(['staff', 'list', '--json', '--data', data]);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { name: string; role: string }[]).map((p) => [p.name, p.role]),
      [
        ['anna', 'editor'],
        ['Lin Wei', 'agent'],
      ],
    );
    assert.match((await tact(['staff', 'list', '--data', data])).stdout, /^anna\teditor\tsince \d{4}-\d\d-\d\d\nLin Wei\tagent\tsince/);
    assert.equal((await tact(['staff', 'passwd', 'lin wei', '--data', data], 'another good passphrase\n')).code, 0);
    assert.equal((await tact(['staff', 'revoke', 'Lin Wei', '--data', data])).code, 0);
    assert.equal((await tact(['staff', 'remove', 'anna', '--data', data])).code, 0);

    const store = await openLowdbStore(data);
    try {
      const staff = new Staff(store, () => new Date());
      assert.equal((await staff.signIn('Lin Wei', 'another good passphrase'))?.role, 'agent');
      assert.equal(await staff.signIn('anna', PASSWORD), null);
      assert.ok(!JSON.stringify(await store.read('staff')).includes(PASSWORD));
      const audit = await store.read(AUDIT_LOG);
      assert.deepEqual(
        audit.map((e) => e.kind === 'audit' && [e.action, e.subject, e.who.startsWith('cli:')]),
        [
          ['staff-added', 'Lin Wei', true],
          ['staff-added', 'anna', true],
          ['staff-password', 'Lin Wei', true],
          ['staff-revoked', 'Lin Wei', true],
          ['staff-removed', 'anna', true],
        ],
      );
    } finally {
      await store.close();
    }
  });

  it('refuses a taken name, a weak password, a bad role and hostile names with exit 2 and one clear line, never echoing the password', async () => {
    const data = tempDir();
    assert.equal((await tact(['staff', 'add', 'Lin', '--role', 'agent', '--data', data], `${PASSWORD}\n`)).code, 0);
    const cases: readonly [string[], string, RegExp][] = [
      [['staff', 'add', 'LIN', '--role', 'admin'], `${PASSWORD}\n`, /already someone called Lin \(STAFF_EXISTS\)/],
      [['staff', 'add', 'Kai', '--role', 'admin'], 'hunter2\n', /at least 12 characters .*\(STAFF_WEAK_PASSWORD\)/],
      [['staff', 'add', 'Kai', '--role', 'admin'], '', /no password on standard input/],
      [['staff', 'add', 'Kai', '--role', 'root'], `${PASSWORD}\n`, /role must be one of editor, agent, admin \(not "root"\) \(STAFF_BAD_ROLE\)/],
      [['staff', 'add', '../../etc/passwd', '--role', 'admin'], `${PASSWORD}\n`, /is not a name: .*\(STAFF_BAD_NAME\)/],
      [['staff', 'add', 'a'.repeat(5000), '--role', 'admin'], `${PASSWORD}\n`, /at most 40 characters \(STAFF_BAD_NAME\)/],
      [['staff', 'add', '$(rm -rf /)', '--role', 'admin'], `${PASSWORD}\n`, /is not a name/],
      [['staff', 'passwd', 'Lin'], 'short\n', /at least 12 characters/],
      [['staff', 'remove', 'nobody'], '', /there is nobody called nobody \(STAFF_UNKNOWN\)/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await tact([...args, '--data', data], stdin);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      noStack(r.stderr);
      if (stdin.trim() !== '') assert.ok(!(r.stdout + r.stderr).includes(stdin.trim()), 'the password is never echoed');
    }
    assert.deepEqual(JSON.parse((await tact(['staff', 'list', '--json', '--data', data])).stdout).length, 1);
  });

  it('explains its usage: a missing role or name, extra names, an unknown subcommand (exit 2)', async () => {
    const data = tempDir();
    for (const args of [['staff'], ['staff', 'hire', 'x'], ['staff', 'add', 'Kai'], ['staff', 'add', '--role', 'agent'], ['staff', 'remove', 'a', 'b'], ['staff', 'list', 'x'], ['staff', 'revoke', 'x', '--role', 'admin'], ['staff', 'add', 'x', '--role', 'agent', '--bogus']]) {
      const r = await tact([...args, '--data', data]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^tact: /);
      noStack(r.stderr);
    }
  });

  it('says to stop the server (exit 1) when the server holds the data directory', async () => {
    const data = tempDir();
    const held = await openLowdbStore(data);
    try {
      const r = await tact(['staff', 'list', '--data', data]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /cannot open the store at .*the server holds it: stop it, or use the Staff section of the admin page/);
      noStack(r.stderr);
    } finally {
      await held.close();
    }
  });

  it('works on the PostgreSQL store named by TACT_DATABASE_URL, beside a running instance', async () => {
    const url = await createTestDatabase();
    const running = await openPgStore(url);
    try {
      const r = await tact(['staff', 'add', 'Mo', '--role', 'admin'], `${PASSWORD}\n`, { TACT_DATABASE_URL: url });
      assert.equal(r.code, 0, r.stderr);
      const staff = new Staff(running, () => new Date());
      const mo = await staff.signIn('mo', PASSWORD);
      assert.equal(mo?.role, 'admin');
      assert.equal((await tact(['staff', 'revoke', 'Mo'], '', { TACT_DATABASE_URL: url })).code, 0);
      assert.equal(await staff.sessionHolder('Mo', mo.generation, 'a-session'), null, 'the running instance sees the revocation at once');
    } finally {
      await running.close();
    }
  });
});
