import assert from 'node:assert/strict';
import { SharedRateLimiter } from '../../../src/bot/cluster/shared-rate-limit.js';
import { RateLimiter, type RateSpec, type Verdict } from '../../../src/bot/core/rate-limit.js';
import { capturedLog, testRedis, type TestRedis } from '../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

/** A seeded generator, so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('rate limits shared by every instance (Redis)', () => {
  let redis: TestRedis;
  let proxy: TcpProxy | null = null;
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => {
    redis = testRedis();
    clock = 1_000_000;
  });
  afterEach(async () => {
    await redis.cleanup();
    await proxy?.close();
    proxy = null;
  });

  const limiter = async (name: string, spec: RateSpec, opts: { now?: () => number; url?: string; log?: ReturnType<typeof capturedLog> } = { now }): Promise<SharedRateLimiter> => {
    const log = opts.log ?? capturedLog();
    const cluster = await redis.join({ log: log.log, ...(opts.url ? { url: opts.url } : {}) });
    return new SharedRateLimiter(cluster, name, spec, log.log, opts.now ? { now: opts.now } : {});
  };

  it("counts one address's takes on every instance against one bucket", async () => {
    const spec = { burst: 3, perMinute: 6 };
    const [a, b] = [await limiter('hellos', spec), await limiter('hellos', spec)];
    assert.deepEqual([await a.take('203.0.113.9'), await b.take('203.0.113.9'), await a.take('203.0.113.9')], [{ ok: true }, { ok: true }, { ok: true }]);
    assert.deepEqual(await b.take('203.0.113.9'), { ok: false, retryAfterMs: 10_000 });
    assert.equal(await a.wait('203.0.113.9'), 10_000);
    clock += 10_000;
    assert.deepEqual(await a.take('203.0.113.9'), { ok: true });
    assert.equal((await b.take('203.0.113.9')).ok, false);
    await b.reset('203.0.113.9');
    assert.equal((await a.take('203.0.113.9')).ok, true, 'reset on one instance is seen by all');
  });

  it("counts time by Redis's clock when given none, one clock for every instance", async () => {
    const [a, b] = [await limiter('clock', { burst: 1, perMinute: 1 }, {}), await limiter('clock', { burst: 1, perMinute: 1 }, {})];
    assert.deepEqual(await a.take('x'), { ok: true });
    const refused = await b.take('x');
    assert.ok(!refused.ok && refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 60_000, JSON.stringify(refused));
  });

  it('keeps keys and limits apart', async () => {
    const [hellos, logins] = [await limiter('hellos', { burst: 1, perMinute: 1 }), await limiter('logins', { burst: 1, perMinute: 1 })];
    assert.equal((await hellos.take('a')).ok, true);
    assert.equal((await hellos.take('a')).ok, false);
    assert.equal((await hellos.take('b')).ok, true);
    assert.equal((await logins.take('a')).ok, true);
  });

  it('never lets more through than the burst, however many instances take at once', async () => {
    const instances = await Promise.all([1, 2, 3, 4].map(() => limiter('race', { burst: 10, perMinute: 1 })));
    const verdicts = await Promise.all(Array.from({ length: 100 }, (_, i) => instances[i % 4]!.take('hot')));
    assert.equal(verdicts.filter((v) => v.ok).length, 10);
  });

  it('holds a bucket only until it would be full again, and nothing for a wait', async () => {
    const limits = await limiter('expiry', { burst: 2, perMinute: 60 });
    const key = `${redis.prefix}rate:expiry:a`;
    await limits.wait('a');
    assert.equal(await redis.raw().exists(key), 0);
    await limits.take('a');
    const ttl = await redis.raw().pttl(key);
    assert.ok(ttl > 0 && ttl <= 1001, `expires in ${ttl} ms`);
  });

  it('answers exactly as the in-memory limiter does, over random takes, waits, resets and time', async () => {
    for (const [seed, spec] of [
      [1, { burst: 3, perMinute: 6 }],
      [2, { burst: 1, perMinute: 0.5 }],
      [3, { burst: 5, perMinute: 7 }],
    ] as const) {
      const next = random(seed);
      const shared = [await limiter(`model-${seed}`, spec), await limiter(`model-${seed}`, spec)];
      const model = new RateLimiter(spec, { now });
      for (let step = 0; step < 150; step++) {
        const key = `k${Math.floor(next() * 3)}`;
        const on = shared[Math.floor(next() * 2)]!;
        const op = next();
        clock += Math.floor(next() * 8000);
        const label = `seed ${seed}, step ${step}, ${key}`;
        if (op < 0.6) assert.deepEqual<Verdict>(await on.take(key), model.take(key), `take, ${label}`);
        else if (op < 0.95) assert.equal(await on.wait(key), model.wait(key), `wait, ${label}`);
        else await Promise.all([on.reset(key), model.reset(key)]);
      }
    }
  });

  it('counts on this instance alone while Redis is away, logging it once, and shares again when it is back', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const log = capturedLog();
    const limits = await limiter('outage', { burst: 2, perMinute: 6 }, { url: `redis://127.0.0.1:${proxy.port}`, log });
    await proxy.cut();
    assert.deepEqual([(await limits.take('a')).ok, (await limits.take('a')).ok, (await limits.take('a')).ok], [true, true, false]);
    assert.ok((await limits.wait('a')) > 0);
    assert.equal(log.events().filter((e) => e === 'cluster.rate_limit_alone').length, 1);

    await proxy.restore();
    const deadline = Date.now() + 10_000;
    while (!log.events().includes('cluster.rate_limit_shared_again') && Date.now() < deadline) {
      await limits.wait('b');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(log.events().includes('cluster.rate_limit_shared_again'));
    assert.equal((await limits.take('a')).ok, true, 'the shared bucket knew nothing of the takes made alone');
  });

  it('refuses a spec that could never allow anything', async () => {
    await assert.rejects(limiter('bad', { burst: 0, perMinute: 1 }), RangeError);
  });
});
