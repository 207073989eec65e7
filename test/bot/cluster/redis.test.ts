import assert from 'node:assert/strict';
import { testRedis, type TestRedis } from '../../helpers/redis.js';

describe('the cluster connection', () => {
  let redis: TestRedis;
  beforeEach(() => (redis = testRedis()));
  afterEach(() => redis.cleanup());

  it("names keys and channels under the deployment's prefix, and each instance differently", async () => {
    const [a, b] = [await redis.join(), await redis.join()];
    assert.equal(a.key('turn', 'conv-1'), `${redis.prefix}turn:conv-1`);
    assert.notEqual(a.instanceId, b.instanceId);
    assert.deepEqual(a.health(), { status: 'ok', problem: null });
  });

  it('fails (the tests too: they never skip) naming the server when Redis cannot be reached', async () => {
    await assert.rejects(redis.join({ url: 'redis://:secret@127.0.0.1:1' }), (e: unknown) => e instanceof Error && /cannot be reached/.test(e.message) && /cluster tests need Redis/.test(e.message) && !e.message.includes('secret'));
  });

  it('leaves no key of a test behind', async () => {
    const cluster = await redis.join();
    await cluster.redis.set(cluster.key('a'), '1');
    await cluster.redis.set(cluster.key('b', 'c'), '2');
    await redis.cleanup();
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.raw().scan(cursor, 'MATCH', `${redis.prefix}*`);
      left.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    assert.deepEqual(left, []);
  });
});
