import assert from 'node:assert/strict';
import pg from 'pg';
import { createLogger, type Logger } from '../../../src/bot/log.js';
import { migrate, MIGRATIONS, migrationName } from '../../../src/bot/store/pg-migrations.js';
import { openPgStore, type PgStoreOptions } from '../../../src/bot/store/pg-store.js';
import { StoreError, type Store, type StoredEvent } from '../../../src/bot/store/store.js';
import { adminQuery, cleanTestDatabases, createTestDatabase, lazyTestDatabase, track } from '../../helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { until } from '../../helpers/until.js';
import { describeStoreContract, message, texts } from './store-contract.js';
import { rowsHolding } from '../../helpers/traces.js';

const at = '2026-11-27T10:00:00.000Z';
const coded = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;
const open = async (url: string, opts: PgStoreOptions = {}): Promise<Store> => track(await openPgStore(url, opts));
const seqs = (events: readonly StoredEvent[]): (number | undefined)[] => events.map((e) => (e.kind === 'message' ? e.seq : undefined));

function capture(): { log: Logger; events: () => string[] } {
  const out: string[] = [];
  return { log: createLogger('debug', (l) => out.push(l)), events: () => out.map((l) => (JSON.parse(l) as { event: string }).event) };
}

/** The URL of `database` reached through `proxy` instead of directly. */
function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

function pool(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 2 });
  p.on('error', () => undefined);
  return track({ close: () => p.end(), pool: p }).pool;
}

describe('the PostgreSQL store', () => {
  after(cleanTestDatabases);

  describeStoreContract('the PostgreSQL store', () => {
    const url = lazyTestDatabase();
    return { open: async () => open(await url()), traces: async (text) => rowsHolding(await url(), text) };
  });

  it('numbers messages 1..400 once each when two instances append to one conversation at once, and reads them in that order', async () => {
    const url = await createTestDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    const appendMany = (store: Store, who: string) => Promise.all(Array.from({ length: 200 }, (_, i) => store.append('shared', message(`${who}${i}`))));
    const [fromA, fromB] = await Promise.all([appendMany(a, 'a'), appendMany(b, 'b')]);
    assert.deepEqual([...fromA, ...fromB].sort((x, y) => x - y), Array.from({ length: 400 }, (_, i) => i + 1), 'every number given once');
    const events = await a.read('shared');
    assert.deepEqual(seqs(events), Array.from({ length: 400 }, (_, i) => i + 1), 'read order is number order');
    const own = (who: string) => texts(events).filter((t) => t.startsWith(who));
    assert.deepEqual(own('a'), Array.from({ length: 200 }, (_, i) => `a${i}`), "an instance's appends land in the order it made them");
    assert.deepEqual(own('b'), Array.from({ length: 200 }, (_, i) => `b${i}`));
    assert.deepEqual(await b.read('shared'), events, 'both instances read the same log');
    await Promise.all([a.close(), b.close()]);
  });

  it('commits appends arriving together in one transaction, numbering each conversation in order, and fails alone one whose expected number no longer holds', async () => {
    const lines: string[] = [];
    const store = await open(await createTestDatabase(), { log: createLogger('debug', (l) => lines.push(l)) });
    const conversations = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const appended = conversations.flatMap((id) => [store.append(id, message(`${id} one`)), store.append(id, message(`${id} two`))]);
    const stale = store.append('c0', message('too late'), { expectedSeq: 0 });
    assert.deepEqual(await Promise.all(appended), conversations.flatMap(() => [1, 2]));
    await assert.rejects(stale, coded('STORE_CONFLICT'));
    for (const id of conversations) assert.deepEqual(seqs(await store.read(id)), [1, 2]);
    const batches = lines.map((l) => JSON.parse(l) as { event: string; appends?: number }).filter((l) => l.event === 'store.batch');
    assert.equal(batches.reduce((n, b) => n + (b.appends ?? 0), 0), 81);
    assert.ok(batches.length <= 10 && batches.some((b) => (b.appends ?? 0) >= 20), `batches: ${batches.map((b) => b.appends).join(', ')}`);
    await store.close();
  });

  it('splits appends arriving together into batches of about 8 MB, every one stored', async () => {
    const lines: string[] = [];
    const store = await open(await createTestDatabase(), { log: createLogger('debug', (l) => lines.push(l)) });
    const big = 'x'.repeat(1024 * 1024);
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`big${i}`, message(`${i}${big}`))));
    assert.deepEqual(appended, Array.from({ length: 20 }, () => 1));
    const batches = lines.map((l) => JSON.parse(l) as { event: string; appends?: number }).filter((l) => l.event === 'store.batch');
    assert.ok(batches.length >= 3 && batches.every((b) => (b.appends ?? 0) <= 8), `batches: ${batches.map((b) => b.appends).join(', ')}`);
    await store.close();
  });

  it('never deadlocks two instances appending to the same conversations together, in opposite orders', async () => {
    const url = await createTestDatabase();
    const [a, b] = [await open(url), await open(url)];
    const ids = Array.from({ length: 30 }, (_, i) => `shared${i}`);
    const started = Date.now();
    for (let round = 0; round < 5; round++) {
      await Promise.all([...ids.map((id) => a.append(id, message(`a${round}`))), ...[...ids].reverse().map((id) => b.append(id, message(`b${round}`)))]);
    }
    for (const id of ids) assert.deepEqual(seqs(await a.read(id)), Array.from({ length: 10 }, (_, i) => i + 1));
    // A deadlock is found only after deadlock_timeout (1 s) and then every append is written again one by one.
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    await a.close();
    await b.close();
  });

  it('lets only one of two instances append with the same expected number', async () => {
    const url = await createTestDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    await a.append('c1', message('first'));
    const racing = await Promise.allSettled([a.append('c1', message('from a'), { expectedSeq: 1 }), b.append('c1', message('from b'), { expectedSeq: 1 })]);
    assert.equal(racing.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = racing.find((r) => r.status === 'rejected');
    assert.ok(refused && coded('STORE_CONFLICT')(refused.reason));
    assert.equal((await a.read('c1')).length, 2);
    await Promise.all([a.close(), b.close()]);
  });

  it('applies its migrations once when several instances start at once, and nothing when run again', async () => {
    const url = await createTestDatabase();
    const pools = [pool(url), pool(url), pool(url)];
    const applied = await Promise.all(pools.map((p) => migrate(p)));
    assert.deepEqual(applied.flat(), MIGRATIONS.map(migrationName), 'one instance applied them, the others found them applied');
    assert.deepEqual(await migrate(pools[0] as pg.Pool), []);
    const rows = await (pools[0] as pg.Pool).query<{ id: number }>('SELECT id FROM tact_migrations ORDER BY id');
    assert.deepEqual(rows.rows.map((r) => r.id), MIGRATIONS.map((m) => m.id));
    const stores = await Promise.all([open(url), open(url)]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keeps each schema apart when given one', async () => {
    const url = await createTestDatabase();
    const [a, b] = await Promise.all([open(url, { schema: 'shop_a' }), open(url, { schema: 'shop_b' })]);
    await a.append('c1', message('in a'));
    assert.deepEqual(await b.read('c1'), []);
    assert.deepEqual(texts(await a.read('c1')), ['in a']);
    await Promise.all([a.close(), b.close()]);
    await assert.rejects(openPgStore(url, { schema: 'Robert"; DROP TABLE x' }), coded('STORE_UNWRITABLE'));
  });

  it('stores \\u0000 and lone surrogates in texts and message ids exactly as given', async () => {
    const store = await open(await createTestDatabase());
    const odd = { kind: 'message', at, from: 'customer', text: 'nul\u0000here, half a pair \ud83d, then 😀', id: 'w\u00001' } as const;
    assert.equal(await store.append('c1', odd), 1);
    assert.deepEqual(await store.read('c1'), [{ ...odd, seq: 1 }]);
    assert.deepEqual(await store.unfinished(), [{ id: 'c1', handoffAt: null, pendingTurns: ['w\u00001'] }]);
    await store.append('c1', { kind: 'turn', at, id: 'w\u00001' });
    assert.deepEqual(await store.unfinished(), []);
    await store.close();
  });

  it('refuses with STORE_WRITE_FAILED, naming the conversation, a value PostgreSQL cannot hold, keeps nothing of it and goes on', async () => {
    const { log, events } = capture();
    const store = await open(await createTestDatabase(), { log });
    await store.append('c1', message('before'));
    // A handoff's time is kept in a text column, and text cannot hold \u0000.
    const handoff: StoredEvent = { kind: 'handoff', at: '2026\u0000', reason: 'requested', team: 'care', channel: 'C1', ticket: 'T-1', details: {} };
    await assert.rejects(store.append('c1', handoff), (e: unknown) => coded('STORE_WRITE_FAILED')(e) && (e as Error).message.includes('conversation c1'));
    assert.equal(await store.append('c1', message('after')), 2);
    assert.deepEqual(texts(await store.read('c1')), ['before', 'after']);
    assert.deepEqual(await store.unfinished(), []);
    assert.equal(store.health().status, 'ok');
    assert.ok(events().includes('store.append_refused'));
    await store.close();
  });

  it('round-trips a 1 MB message', async () => {
    const store = await open(await createTestDatabase());
    const big = 'é'.repeat(512 * 1024) + 'x'.repeat(512 * 1024);
    await store.append('c1', message(big));
    const [event] = await store.read('c1');
    assert.ok(event?.kind === 'message');
    assert.equal(event.text.length, big.length);
    assert.ok(event.text === big);
    await store.close();
  });

  it('lists unfinished conversations from an index of the open ones', async () => {
    const url = await createTestDatabase();
    const store = await open(url);
    await store.append('open', message('hi', 'm1'));
    await store.append('done', message('hi', 'm2'));
    await store.append('done', { kind: 'turn', at, id: 'm2' });
    const p = pool(url);
    const rows = await p.query<{ id: string }>('SELECT id FROM tact_conversations WHERE unfinished');
    assert.deepEqual(rows.rows, [{ id: 'open' }]);
    const client = await p.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT id, handoff_at, pending_turns FROM tact_conversations WHERE unfinished');
      assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /tact_conversations_unfinished/);
    } finally {
      client.release();
    }
    await store.close();
  });

  it('lists the conversations active since a time by their last event, through an index, and every one without a time', async () => {
    const url = await createTestDatabase();
    const store = await open(url);
    const said = (when: string): StoredEvent => ({ kind: 'message', at: when, from: 'customer', text: 'hi' });
    await store.append('january', said('2026-01-10T00:00:00.000Z'));
    await store.append('november', said('2026-01-10T00:00:00.000Z'));
    await store.append('november', said('2026-11-20T00:00:00.000Z'));
    await store.append('unparsable', said('not a time'));
    const p = pool(url);
    await p.query("INSERT INTO tact_conversations (id) VALUES ('before-migration-2')");
    const since = new Date('2026-11-01T00:00:00.000Z');
    assert.deepEqual([...(await store.conversations({ activeSince: since }))].sort(), ['before-migration-2', 'november', 'unparsable']);
    const client = await p.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT id FROM tact_conversations WHERE last_at >= $1 OR last_at IS NULL', [since.toISOString()]);
      assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /tact_conversations_last_at/);
    } finally {
      client.release();
    }
    await store.close();
  });

  it('gives conversations stored before the activity index the time of their last event', async () => {
    const url = await createTestDatabase();
    const p = pool(url);
    const first = MIGRATIONS.find((m) => m.id === 1);
    assert.ok(first);
    await p.query(first.sql);
    await p.query(`INSERT INTO tact_conversations (id, last_seq) VALUES ('c1', 1), ('c2', 0)`);
    await p.query(`INSERT INTO tact_events (conversation, seq, kind, event) VALUES
      ('c1', 1, 'message', '{"kind":"message","at":"2026-03-01T00:00:00.000Z","from":"customer","text":"a","seq":1}'),
      ('c1', NULL, 'turn', '{"kind":"turn","at":"2026-03-02T08:00:00.000Z","id":"x"}'),
      ('c2', NULL, 'turn', '{"kind":"turn","at":"garbage","id":"y"}')`);
    await p.query('CREATE TABLE tact_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    await p.query(`INSERT INTO tact_migrations (id, name) VALUES (1, 'conversations-and-events')`);
    assert.deepEqual(await migrate(p), MIGRATIONS.slice(1).map(migrationName), 'every migration after the first');
    const rows = await p.query<{ id: string; last_at: Date }>('SELECT id, last_at FROM tact_conversations ORDER BY id');
    assert.equal(rows.rows[0]?.last_at.toISOString(), '2026-03-02T08:00:00.000Z');
    assert.ok(Math.abs((rows.rows[1]?.last_at.getTime() ?? 0) - Date.now()) < 60_000, 'an unreadable time counts as now');
  });

  it('refuses appends with STORE_UNWRITABLE while the database is away, shows it on health, and recovers by itself when it is back', async () => {
    const direct = new URL(await createTestDatabase());
    const proxy = track(await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) }));
    const { log, events } = capture();
    const store = await open(throughProxy(direct.toString(), proxy), { log, probeMs: 50, connectTimeoutMs: 1000 });
    await store.append('c1', message('before'));
    await proxy.cut();
    await assert.rejects(store.append('c1', message('while away')), (e: unknown) => coded('STORE_UNWRITABLE')(e) && /cannot be reached.*nothing of it was kept/.test((e as Error).message));
    const health = store.health();
    assert.equal(health.status, 'degraded');
    assert.ok(health.problems.some((p) => /database cannot be reached/.test(p)), health.problems.join('; '));
    await assert.rejects(store.read('c1'), coded('STORE_UNWRITABLE'));
    await proxy.restore();
    await until('the store to see the database again without any append', () => store.health().status === 'ok', 5000);
    assert.deepEqual(store.health().problems, []);
    assert.equal(await store.append('c1', message('after')), 2);
    assert.deepEqual(texts(await store.read('c1')), ['before', 'after'], 'the refused append left nothing');
    assert.ok(events().includes('store.unreachable') && events().includes('store.reachable'), events().join(', '));
    await store.close();
    await proxy.close();
  });

  it('appends on a fresh connection when the server has terminated the pooled ones, without crashing', async () => {
    const url = await createTestDatabase();
    const name = new URL(url).pathname.slice(1);
    const { log, events } = capture();
    const store = await open(url, { probeMs: 50, log });
    await Promise.all([store.append('c1', message('one')), store.append('c2', message('other'))]);
    const killed = await adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tact'", [name]);
    assert.ok(killed.rowCount !== null && killed.rowCount > 0, 'the store had connections to terminate');
    await until('the pool to report its idle connections lost', () => events().includes('store.connection_lost'));
    assert.equal(await store.append('c1', message('two')), 2);
    assert.deepEqual(texts(await store.read('c1')), ['one', 'two']);
    await until('the store to be healthy again', () => store.health().status === 'ok', 5000);
    await store.close();
  });

  it('runs an append again on a fresh connection when its own was terminated before it committed', async () => {
    const url = await createTestDatabase();
    const name = new URL(url).pathname.slice(1);
    const { log, events } = capture();
    const store = await open(url, { log });
    await store.append('c1', message('one'));
    // Hold the conversation's row so the next append waits inside its transaction, then kill its connection there.
    const holder = new pg.Client({ connectionString: url });
    holder.on('error', () => undefined);
    await holder.connect();
    track({ close: () => holder.end() });
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM tact_conversations WHERE id = $1 FOR UPDATE', ['c1']);
    const appended = store.append('c1', message('two'));
    const waiting = async (): Promise<number[]> => {
      const r = await adminQuery("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tact' AND wait_event_type = 'Lock'", [name]);
      return r.rows.map((row: { pid: number }) => row.pid);
    };
    let pids: number[] = [];
    for (let i = 0; i < 100 && pids.length === 0; i++) pids = await waiting();
    assert.equal(pids.length, 1, 'the append waits for the row');
    await adminQuery('SELECT pg_terminate_backend($1)', [pids[0]]);
    await holder.query('COMMIT');
    assert.equal(await appended, 2);
    assert.deepEqual(texts(await store.read('c1')), ['one', 'two']);
    assert.ok(events().includes('store.retry'), events().join(', '));
    assert.equal(store.health().status, 'ok');
    await store.close();
  });

  it('refuses to open, with STORE_UNWRITABLE, on a port where no database answers or with a URL that is not one', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 1 });
    const port = proxy.port;
    await proxy.close();
    await assert.rejects(openPgStore(`postgres://postgres@127.0.0.1:${port}/tact`, { connectTimeoutMs: 1000 }), (e: unknown) => coded('STORE_UNWRITABLE')(e) && /ECONNREFUSED/.test((e as Error).message));
    await assert.rejects(openPgStore('not a url'), coded('STORE_UNWRITABLE'));
    await assert.rejects(openPgStore('mysql://root@localhost/tact'), (e: unknown) => coded('STORE_UNWRITABLE')(e) && /postgres:\/\//.test((e as Error).message));
  });

  it('lets the appends already asked for finish when closed, and refuses later ones', async () => {
    const url = await createTestDatabase();
    const store = await open(url);
    const pending = Array.from({ length: 10 }, (_, i) => store.append('c1', message(`m${i}`)));
    await store.close();
    assert.deepEqual(await Promise.all(pending), Array.from({ length: 10 }, (_, i) => i + 1));
    await assert.rejects(store.read('c1'), coded('STORE_CLOSED'));
    const again = await open(url);
    assert.equal((await again.read('c1')).length, 10);
    await again.close();
  });
});
