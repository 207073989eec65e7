import assert from 'node:assert/strict';
import { Leader, type LeaderOptions } from '../../../src/bot/cluster/leader.js';
import { capturedLog, testRedis, type TestRedis } from '../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { until } from '../../helpers/until.js';

/** Short leases, so takeovers happen within a test. */
const FAST: LeaderOptions = { ttlMs: 600, renewEveryMs: 100 };

interface Candidate {
  readonly leader: Leader;
  /** What onChange said, in order. */
  readonly changes: boolean[];
}

/** Counts leaders every few milliseconds until stopped, keeping the most seen at once. */
function sampleLeaders(candidates: () => readonly Candidate[]): { stop(): { readonly most: number; readonly samples: number } } {
  let most = 0;
  let samples = 0;
  const timer = setInterval(() => {
    most = Math.max(most, candidates().filter((c) => c.leader.isLeader()).length);
    samples++;
  }, 3);
  return {
    stop: () => {
      clearInterval(timer);
      return { most, samples };
    },
  };
}

describe('the leader (one instance at a time)', () => {
  let redis: TestRedis;
  let proxy: TcpProxy | null = null;
  const started: Leader[] = [];
  beforeEach(() => (redis = testRedis()));
  afterEach(async () => {
    await Promise.allSettled(started.splice(0).map((l) => l.close()));
    await redis.cleanup();
    await proxy?.close();
    proxy = null;
  });

  async function candidate(opts: LeaderOptions = FAST, url?: string, log = capturedLog().log): Promise<Candidate> {
    const changes: boolean[] = [];
    const leader = await Leader.start(await redis.join({ log, ...(url ? { url } : {}) }), log, { ...opts, onChange: (leading) => changes.push(leading) });
    started.push(leader);
    return { leader, changes };
  }

  const leaders = (cs: readonly Candidate[]): Candidate[] => cs.filter((c) => c.leader.isLeader());

  it('elects exactly one of three instances, and tells it so', async () => {
    const cs = [await candidate(), await candidate(), await candidate()];
    assert.equal(leaders(cs).length, 1);
    assert.deepEqual(leaders(cs)[0]!.changes, [true]);
    assert.deepEqual(
      cs.filter((c) => !c.leader.isLeader()).map((c) => c.changes),
      [[], []],
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(leaders(cs).length, 1, 'still one, after many renewals');
  });

  it('hands over to another instance soon after the leader closes, never two at once', async () => {
    const cs = [await candidate(), await candidate(), await candidate()];
    const sampler = sampleLeaders(() => cs);
    const first = leaders(cs)[0]!;
    const closedAt = performance.now();
    await first.leader.close();
    assert.deepEqual(first.changes, [true, false]);
    const next = await until('a new leader', () => leaders(cs)[0], 3000);
    assert.ok(performance.now() - closedAt < 600, 'sooner than the lease would have expired: the leader gave it up');
    assert.notEqual(next, first);
    await new Promise((r) => setTimeout(r, 300));
    const { most, samples } = sampler.stop();
    assert.ok(samples > 20);
    assert.equal(most, 1);
  });

  it('hands over within about a lease once the leader stops renewing (Redis cut off from it), never two at once', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const cut = await candidate(FAST, `redis://127.0.0.1:${proxy.port}`);
    const others = [await candidate(), await candidate()];
    const cs = [cut, ...others];
    assert.ok(cut.leader.isLeader(), 'the first to start leads');
    const sampler = sampleLeaders(() => cs);
    const cutAt = performance.now();
    await proxy.cut();
    await until('the cut-off leader to step down', () => cut.changes.length === 2, 3000);
    assert.ok(performance.now() - cutAt < 700);
    const next = await until('a new leader', () => leaders(others)[0], 3000);
    assert.ok(performance.now() - cutAt < 600 + 2 * 100 + 300, `took over ${Math.round(performance.now() - cutAt)} ms after the cut`);
    assert.ok(next !== cut);
    await new Promise((r) => setTimeout(r, 300));
    const { most } = sampler.stop();
    assert.equal(most, 1);
    assert.deepEqual(cut.changes, [true, false]);
  });

  it('never has two leaders at once while instances come and go', async () => {
    const cs = [await candidate(), await candidate(), await candidate()];
    const sampler = sampleLeaders(() => cs);
    const seen = new Set<Candidate>();
    for (let round = 0; round < 6; round++) {
      cs.push(await candidate());
      const current = await until('a leader', () => leaders(cs)[0], 3000);
      seen.add(current);
      await new Promise((r) => setTimeout(r, 60));
      await current.leader.close();
      cs.splice(cs.indexOf(current), 1);
    }
    const { most } = sampler.stop();
    assert.equal(seen.size, 6);
    assert.equal(most, 1);
  });

  it('stays leader through a Redis blip shorter than its lease', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const log = capturedLog();
    const one = await candidate({ ttlMs: 4000, renewEveryMs: 200 }, `redis://127.0.0.1:${proxy.port}`, log.log);
    await proxy.cut();
    await until('a failed renewal', () => log.events().includes('cluster.leader_redis_away'), 2000);
    await proxy.restore();
    await until('renewing again', () => log.events().includes('cluster.leader_redis_back'), 4000);
    assert.ok(one.leader.isLeader());
    assert.deepEqual(one.changes, [true]);
  });

  it('rejects a renewal period too close to the lease', async () => {
    await assert.rejects(candidate({ ttlMs: 1000, renewEveryMs: 950 }), RangeError);
  });
});
