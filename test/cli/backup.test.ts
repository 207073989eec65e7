import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../../src/bot/server.js';
import { readAllConversations } from '../../src/bot/store/lowdb-store.js';
import { ChatClient, testConfig, testServer } from '../helpers/chat-server.js';
import { writeHistory } from '../helpers/lowdb-history.js';
import { cleanTestDatabases, createTestDatabase } from '../helpers/postgres.js';
import { cleanTempDirs, shopKb, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');
const QUESTIONS = ['下单后多久发货？', '退款多久到账？', '怎么开发票？', 'How soon will my order ship?'];
const CUSTOMERS = 4;
/** Customers here type faster than a person: the per-socket frame rate is raised so none is throttled. */
const FAST = { rate: { perSecond: 1000, burst: 1000 } } as const;

/** The built CLI, run without blocking the event loop: the server in this process keeps serving meanwhile. */
function tact(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TACT_DATABASE_URL: '', TACT_DATA_DIR: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const noStack = (text: string): void => assert.doesNotMatch(text, /^\s+at /m, text);

interface Customer {
  readonly client: ChatClient;
  /** The session token (its first part is the conversation's id). */
  readonly token: string;
  readonly acked: string[];
}

/** Customers asking one question after another, each as soon as the last was acknowledged, until `stop`. */
class Load {
  private stopped = false;
  private talking: Promise<void>[] = [];

  constructor(readonly customers: readonly Customer[]) {}

  static async start(server: RunningServer): Promise<Load> {
    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, n) => {
        const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' }, {}, `127.0.9.${n + 2}`);
        return { client, token: welcome.session, acked: [] as string[] };
      }),
    );
    const load = new Load(customers);
    load.talking = customers.map((c, n) => load.talk(c, n));
    return load;
  }

  private async talk(c: Customer, n: number): Promise<void> {
    for (let i = 0; !this.stopped; i++) {
      const id = `c${n}-m${i}`;
      await c.client.say(QUESTIONS[i % QUESTIONS.length] as string, undefined, id);
      c.acked.push(id);
    }
  }

  /** Every customer's acknowledged ids as of now. */
  ackedNow(): Map<string, string[]> {
    return new Map(this.customers.map((c) => [c.token, [...c.acked]]));
  }

  /** Waits for `total` acknowledgements in all; a customer whose message failed fails the wait. */
  async untilAcked(total: number): Promise<void> {
    const failed = Promise.race(this.talking).then(() => new Promise<never>(() => undefined));
    const reached = (async () => {
      while (this.customers.reduce((n, c) => n + c.acked.length, 0) < total) await new Promise((r) => setTimeout(r, 20));
    })();
    await Promise.race([reached, failed]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.talking);
    for (const c of this.customers) c.client.close();
  }
}

/** Each customer comes back to `server` with their token: the history it shows holds every message acknowledged before the backup began. */
async function assertHistoryKept(server: RunningServer, before: ReadonlyMap<string, readonly string[]>): Promise<void> {
  for (const [token, acked] of before) {
    const { client, welcome } = await ChatClient.open(server.url, { token, after: 0 });
    client.close();
    assert.equal(welcome.session, token, 'the session was resumed');
    const shown = new Set(welcome.history.flatMap((m) => (m.id !== undefined ? [m.id] : [])));
    assert.deepEqual(
      acked.filter((id) => !shown.has(id)),
      [],
      `acknowledged before the backup began and missing after the restore (${acked.length} acknowledged)`,
    );
  }
}

describe('tact backup and tact restore', function () {
  // Each test runs the CLI several times beside a live server.
  this.timeout(60_000);
  after(cleanTestDatabases);
  after(cleanTempDirs);

  it('backs up a data directory while a server takes messages from several customers; a server on the restore shows every message acknowledged before', async () => {
    const kb = shopKb();
    const dataDir = tempDir();
    // Folds every 50 records: the log rotates again and again during the backup, the case the snapshot must get right.
    const server = await testServer(testConfig(kb, { TACT_DATA_DIR: dataDir, TACT_STORE_FOLD_EVERY: '50' }), FAST);
    const out = join(tempDir(), 'live.tact.gz');
    let load: Load | null = null;
    try {
      load = await Load.start(server);
      await load.untilAcked(CUSTOMERS * 3);
      const before = load.ackedNow();

      const backup = await tact(['backup', '--data', dataDir, '--out', out]);

      assert.equal(backup.code, 0, backup.stdout + backup.stderr);
      assert.match(backup.stdout, new RegExp(`→ ${out}: \\d+ conversations \\(\\d+ events, \\d+ messages\\), 0 files, \\d+ bytes`));
      const refused = await tact(['restore', out, '--into', dataDir, '--allow-empty']);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /in use by another Tact process.*never writes into a live store.*\(RESTORE_TARGET_LIVE\)/);
      noStack(refused.stderr);
      await load.untilAcked(CUSTOMERS * 3 + 8);
      await load.stop();
      load = null;
      await server.close();

      const restored = join(tempDir(), 'restored');
      const restore = await tact(['restore', out, '--into', restored]);
      assert.equal(restore.code, 0, restore.stdout + restore.stderr);
      assert.match(restore.stdout, /embedded store, backed up .*→ .*restored: \d+ conversations/);
      assert.match(restore.stdout, /^verified: /m);
      const stored = await readAllConversations(restored);
      for (const [token, acked] of before) {
        const ids = new Set((stored.get(token.split('.')[0] as string) ?? []).flatMap((e) => (e.kind === 'message' && e.id !== undefined ? [e.id] : [])));
        assert.deepEqual(acked.filter((id) => !ids.has(id)), [], 'acknowledged before the backup and missing from the restored directory');
      }

      const again = await testServer(testConfig(kb, { TACT_DATA_DIR: restored }));
      try {
        await assertHistoryKept(again, before);
      } finally {
        await again.close();
      }
    } finally {
      await load?.stop();
      await server.close().catch(() => undefined);
    }
  });

  it('backs up a PostgreSQL store while a server takes messages; restored into a new database, a server on it shows every message acknowledged before', async () => {
    const kb = shopKb();
    const url = await createTestDatabase();
    const server = await testServer(testConfig(kb, { TACT_DATABASE_URL: url }), FAST);
    const out = join(tempDir(), 'live.tact.gz');
    let load: Load | null = null;
    try {
      load = await Load.start(server);
      await load.untilAcked(CUSTOMERS * 3);
      const before = load.ackedNow();

      const backup = await tact(['backup', '--out', out], { TACT_DATABASE_URL: url });

      assert.equal(backup.code, 0, backup.stdout + backup.stderr);
      assert.match(backup.stdout, /\d+ conversations \(\d+ events, \d+ messages\), 0 files/);
      const refused = await tact(['restore', out, '--url', url, '--allow-empty']);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /\(RESTORE_TARGET_LIVE\)|\(RESTORE_TARGET_NOT_EMPTY\)/);
      await load.untilAcked(CUSTOMERS * 3 + 8);
      await load.stop();
      load = null;
      await server.close();

      const fresh = await createTestDatabase();
      const restore = await tact(['restore', out, '--url', fresh]);
      assert.equal(restore.code, 0, restore.stdout + restore.stderr);
      assert.match(restore.stdout, /postgres store, backed up /);
      const again = await testServer(testConfig(kb, { TACT_DATABASE_URL: fresh }));
      try {
        await assertHistoryKept(again, before);
      } finally {
        await again.close();
      }
    } finally {
      await load?.stop();
      await server.close().catch(() => undefined);
    }
  });

  it('refuses a damaged or cut file with one coded line (exit 2), an existing --out (exit 2), and wrong arguments', async () => {
    const dir = tempDir();
    await writeHistory(dir);
    const out = join(tempDir(), 'shop.tact.gz');
    const made = await tact(['backup', '--out', out], { TACT_DATA_DIR: dir });
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /8 conversations \(46 events, 17 messages\), 0 files/);
    assert.match(made.stdout, new RegExp(`^[0-9a-f]{64}  ${out}$`, 'm'));

    const exists = await tact(['backup', '--data', dir, '--out', out]);
    assert.equal(exists.code, 2, exists.stderr);
    assert.match(exists.stderr, /already exists; a backup never overwrites a file .*\(BACKUP_EXISTS\)/);

    const whole = readFileSync(out);
    const cut = join(dir, '..', 'cut.tact.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    const truncated = await tact(['restore', cut, '--into', join(tempDir(), 'r')]);
    assert.equal(truncated.code, 2, truncated.stderr);
    assert.match(truncated.stderr, /is cut short .*\(RESTORE_TRUNCATED\)/);
    assert.equal(truncated.stderr.trim().split('\n').length, 1, truncated.stderr);
    noStack(truncated.stderr);

    const notBackup = await tact(['restore', join(dir, 'control.json'), '--into', join(tempDir(), 'r')]);
    assert.equal(notBackup.code, 2, notBackup.stderr);
    assert.match(notBackup.stderr, /\(RESTORE_NOT_A_BACKUP\)/);

    const notEmpty = await tact(['restore', out, '--into', dir]);
    assert.equal(notEmpty.code, 1, notEmpty.stderr);
    assert.match(notEmpty.stderr, /\(RESTORE_TARGET_NOT_EMPTY\)/);

    const noOut = await tact(['backup', '--data', dir]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /tact backup needs --out FILE/);
    const both = await tact(['restore', out, '--into', dir, '--url', 'postgres://x@127.0.0.1/x']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--into DIR or --url URL, not both/);
    const noSource = await tact(['backup', '--data', join(dir, 'nope'), '--out', join(tempDir(), 'x.gz')]);
    assert.equal(noSource.code, 1, noSource.stderr);
    assert.match(noSource.stderr, /is not a Tact data directory.*\(BACKUP_SOURCE\)/);
  });
});
