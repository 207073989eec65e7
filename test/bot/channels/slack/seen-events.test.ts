import assert from 'node:assert/strict';
import { LocalSeenEvents, RedisSeenEvents } from '../../../../src/bot/channels/slack/seen-events.js';
import { capturedLog, testRedis, type TestRedis } from '../../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../../helpers/tcp-proxy.js';

const EVENTS = { name: 'slack-seen', ttlSeconds: 3600 } as const;

describe('Slack event ids seen before', () => {
  describe('in memory (one instance alone)', () => {
    it('says yes the first time an id is asked about, and no after', async () => {
      const seen = new LocalSeenEvents();
      assert.equal(await seen.firstTime('Ev1'), true);
      assert.equal(await seen.firstTime('Ev1'), false);
      assert.equal(await seen.firstTime('Ev2'), true);
    });

    it('forgets the oldest id past its size, and only that one', async () => {
      const seen = new LocalSeenEvents(3);
      for (const id of ['a', 'b', 'c', 'd']) await seen.firstTime(id);
      assert.equal(await seen.firstTime('a'), true, 'the oldest was forgotten');
      assert.equal(await seen.firstTime('d'), false);
    });
  });

  describe('in Redis (several instances)', () => {
    let redis: TestRedis;
    let proxy: TcpProxy | null = null;
    beforeEach(() => (redis = testRedis()));
    afterEach(async () => {
      await redis.cleanup();
      await proxy?.close();
      proxy = null;
    });

    it('handles an event once whichever instances Slack delivers it to, and remembers it for an hour', async () => {
      const a = new RedisSeenEvents(await redis.join(), capturedLog().log, EVENTS);
      const b = new RedisSeenEvents(await redis.join(), capturedLog().log, EVENTS);
      const answers = await Promise.all([a.firstTime('EvShared'), b.firstTime('EvShared'), a.firstTime('EvShared'), b.firstTime('EvShared')]);
      assert.equal(answers.filter(Boolean).length, 1);
      assert.equal(await b.firstTime('EvOther'), true, 'another id is its own');
      const ttl = await redis.raw().ttl(`${redis.prefix}slack-seen:EvShared`);
      assert.ok(ttl > 3590 && ttl <= 3600, `ttl ${ttl}`);
    });

    it('falls back to its own memory while Redis is away, saying so once, and shares again when it is back', async () => {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
      const log = capturedLog();
      const seen = new RedisSeenEvents(await redis.join({ url: `redis://127.0.0.1:${proxy.port}`, log: log.log }), log.log, EVENTS);
      assert.equal(await seen.firstTime('EvBefore'), true);
      await proxy.cut();
      assert.equal(await seen.firstTime('EvDuring'), true);
      assert.equal(await seen.firstTime('EvDuring'), false, 'a retry to this instance is still dropped');
      assert.equal(await seen.firstTime('EvBefore'), false);
      assert.equal(log.events().filter((e) => e === 'slack.seen_local_only').length, 1);
      await proxy.restore();
      const other = new RedisSeenEvents(await redis.join(), capturedLog().log, EVENTS);
      const deadline = Date.now() + 8000;
      let id = '';
      while (!log.events().includes('slack.seen_shared_again')) {
        assert.ok(Date.now() < deadline, 'Redis answers again within 8 s');
        id = `EvAfter${Date.now()}`;
        await seen.firstTime(id);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(await other.firstTime(id), false, 'the id set once Redis answered is shared');
    });
  });
});
