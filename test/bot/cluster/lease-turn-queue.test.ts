import assert from 'node:assert/strict';
import { LeaseTurnQueue, TurnLeaseError, type LeaseTurnOptions } from '../../../src/bot/cluster/lease-turn-queue.js';
import { capturedLog, testRedis, type TestRedis } from '../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A turn that records when it ran. */
const timed =
  (spans: Span[], name: string, ms: number) =>
  async (): Promise<string> => {
    const start = performance.now();
    await tick(ms);
    spans.push({ name, start, end: performance.now() });
    return name;
  };

function overlaps(spans: readonly Span[]): string[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  return sorted.slice(1).flatMap((s, i) => (s.start < sorted[i]!.end ? [`${sorted[i]!.name} and ${s.name}`] : []));
}

describe('the turn queue across instances (Redis leases)', () => {
  let redis: TestRedis;
  let proxy: TcpProxy | null = null;
  beforeEach(() => (redis = testRedis()));
  afterEach(async () => {
    await redis.cleanup();
    await proxy?.close();
    proxy = null;
  });

  const queue = async (opts: LeaseTurnOptions = {}, log = capturedLog().log): Promise<LeaseTurnQueue> => new LeaseTurnQueue(await redis.join({ log }), log, opts);

  it("never runs two turns of one conversation at once, whichever instances they arrive on, and runs each instance's in arrival order", async () => {
    const [a, b] = [await queue(), await queue()];
    const spans: Span[] = [];
    const runs = [];
    for (let i = 0; i < 6; i++) runs.push(a.run('conv', timed(spans, `a${i}`, 15)), b.run('conv', timed(spans, `b${i}`, 15)));
    await Promise.all(runs);
    assert.equal(spans.length, 12);
    assert.deepEqual(overlaps(spans), []);
    const order = (prefix: string): string[] => [...spans].sort((x, y) => x.start - y.start).map((s) => s.name).filter((n) => n.startsWith(prefix));
    assert.deepEqual(order('a'), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(order('b'), ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
  });

  it('runs turns of different conversations in parallel', async () => {
    const [a, b] = [await queue(), await queue()];
    const spans: Span[] = [];
    await Promise.all([a.run('one', timed(spans, 'one', 300)), b.run('two', timed(spans, 'two', 300)), a.run('three', timed(spans, 'three', 300))]);
    assert.equal(overlaps(spans).length, 2, 'all three ran at the same time');
  });

  it("takes over a dead instance's lease once it expires", async () => {
    const a = await queue();
    const key = `${redis.prefix}turn:conv`;
    await redis.raw().set(key, 'dead-instance:0123', 'PX', 400);
    const planted = performance.now();
    const spans: Span[] = [];
    await a.run('conv', timed(spans, 'after', 1));
    assert.ok(spans[0]!.start - planted >= 350, `started ${Math.round(spans[0]!.start - planted)} ms after the dead lease was set`);
  });

  it('keeps the lease through a turn longer than its ttl, by renewing it', async () => {
    const [a, b] = [await queue({ ttlMs: 300 }), await queue({ ttlMs: 300 })];
    const spans: Span[] = [];
    const long = a.run('conv', timed(spans, 'long', 1200));
    await tick(50);
    const next = b.run('conv', timed(spans, 'next', 1));
    await Promise.all([long, next]);
    assert.deepEqual(overlaps(spans), []);
    assert.deepEqual(
      spans.map((s) => s.name),
      ['long', 'next'],
    );
  });

  it('releases the lease when a turn fails, so the next one anywhere starts at once', async () => {
    const [a, b] = [await queue(), await queue()];
    await assert.rejects(a.run('conv', () => Promise.reject(new Error('script threw'))), /script threw/);
    assert.equal(await redis.raw().exists(`${redis.prefix}turn:conv`), 0);
    const started = performance.now();
    await b.run('conv', () => Promise.resolve());
    assert.ok(performance.now() - started < 1000);
  });

  it('gives up with TURN_LEASE_TIMEOUT when another instance holds the turn too long, and runs the next turn after', async () => {
    const a = await queue({ maxWaitMs: 300 });
    await redis.raw().set(`${redis.prefix}turn:conv`, 'stuck-instance:0123', 'PX', 10_000);
    const started = performance.now();
    await assert.rejects(a.run('conv', () => Promise.resolve('ran')), (e: unknown) => e instanceof TurnLeaseError && e.code === 'TURN_LEASE_TIMEOUT' && e.message.includes('conv'));
    assert.ok(performance.now() - started < 1000);
    await redis.raw().del(`${redis.prefix}turn:conv`);
    assert.equal(await a.run('conv', () => Promise.resolve('ran')), 'ran');
  });

  it('runs turns without a lease while Redis is away, counting them and logging the outage once', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const log = capturedLog();
    const cluster = await redis.join({ url: `redis://127.0.0.1:${proxy.port}`, log: log.log });
    const a = new LeaseTurnQueue(cluster, log.log);
    await proxy.cut();
    const spans: Span[] = [];
    await Promise.all([a.run('conv', timed(spans, 'x', 5)), a.run('conv', timed(spans, 'y', 5)), a.run('other', timed(spans, 'z', 5))]);
    assert.equal(a.unleasedTurns, 3);
    assert.deepEqual(spans.filter((s) => s.name !== 'z').map((s) => s.name), ['x', 'y'], 'still one at a time on this instance');
    assert.equal(log.events().filter((e) => e === 'cluster.turns_unleased').length, 1);

    await proxy.restore();
    for (let i = 0; i < 200 && !log.events().includes('cluster.turn_leases_back'); i++) {
      await a.run('conv', () => tick(10));
    }
    assert.ok(log.events().includes('cluster.turn_leases_back'));
  });
});
