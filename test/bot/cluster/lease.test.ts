import assert from 'node:assert/strict';
import { newLease, releaseLease, renewLease, takeLease } from '../../../src/bot/cluster/lease.js';
import { LuaScript } from '../../../src/bot/cluster/lua.js';
import { testRedis, type TestRedis } from '../../helpers/redis.js';

describe('a lease in Redis', () => {
  let redis: TestRedis;
  beforeEach(() => (redis = testRedis()));
  afterEach(() => redis.cleanup());

  it('is held by one taker at a time, until released', async () => {
    const cluster = await redis.join();
    const key = cluster.key('lease');
    const mine = newLease(key, 'a');
    const theirs = newLease(key, 'b');
    assert.equal(await takeLease(cluster.redis, mine, 5000), true);
    assert.equal(await takeLease(cluster.redis, theirs, 5000), false);
    assert.equal(await releaseLease(cluster.redis, mine), true);
    assert.equal(await takeLease(cluster.redis, theirs, 5000), true);
  });

  it('cannot be renewed or released by a holder whose lease expired and was taken by another', async () => {
    const cluster = await redis.join();
    const key = cluster.key('lease');
    const slow = newLease(key, 'a');
    const next = newLease(key, 'b');
    await takeLease(cluster.redis, slow, 50);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await takeLease(cluster.redis, next, 5000), true);
    assert.equal(await renewLease(cluster.redis, slow, 5000), false);
    assert.equal(await releaseLease(cluster.redis, slow), false);
    assert.equal(await redis.raw().get(key), next.token, "the new holder's lease is untouched");
  });

  it('runs longer when renewed', async () => {
    const cluster = await redis.join();
    const lease = newLease(cluster.key('lease'), 'a');
    await takeLease(cluster.redis, lease, 100);
    assert.equal(await renewLease(cluster.redis, lease, 10_000), true);
    assert.ok((await redis.raw().pttl(lease.key)) > 5000);
  });
});

describe('a Lua script', () => {
  let redis: TestRedis;
  beforeEach(() => (redis = testRedis()));
  afterEach(() => redis.cleanup());

  it('is sent in full when the server has forgotten it (restart, SCRIPT FLUSH), and by its hash after', async () => {
    const cluster = await redis.join();
    const add = new LuaScript(`return tonumber(ARGV[1]) + 1 -- ${redis.prefix}`);
    assert.equal(await add.run(cluster.redis, [], [1]), 2);
    await redis.raw().script('FLUSH');
    assert.equal(await add.run(cluster.redis, [], [2]), 3);
    assert.equal(await add.run(cluster.redis, [], [3]), 4);
  });

  it('passes script errors on', async () => {
    const cluster = await redis.join();
    await assert.rejects(new LuaScript('return redis.call("NOSUCHCOMMAND")').run(cluster.redis, [], []), /Unknown Redis command|unknown command/i);
  });
});
