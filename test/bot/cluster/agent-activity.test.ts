import assert from 'node:assert/strict';
import { SharedActivity } from '../../../src/bot/cluster/agent-activity.js';
import { Presence } from '../../../src/bot/pipeline/presence.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { capturedLog, testRedis, type TestRedis } from '../../helpers/redis.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

describe("agents' activity across instances (Redis)", () => {
  let redis: TestRedis;
  const stores: Store[] = [];
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await redis.cleanup();
  });
  after(() => cleanTempDirs());

  /** An instance's presence: its own store for the toggles, the shared board for activity. */
  const instance = async (): Promise<{ presence: Presence; board: SharedActivity }> => {
    const log = capturedLog().log;
    const store = await openLowdbStore(tempDir());
    stores.push(store);
    const board = new SharedActivity(await redis.join({ log }), log);
    return { presence: await Presence.open(store, board), board };
  };
  /** Reloads until the board has what was marked (marking is fire and forget). */
  const reloadUntil = async (p: Presence, ok: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !ok(); i++) {
      await p.reload();
      if (!ok()) await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('counts an agent who acted through one instance as on duty on another, until the activity runs out', async () => {
    const [a, b] = [await instance(), await instance()];
    const now = new Date();
    assert.equal(b.presence.isOnDuty('slack:U1', now), false);
    a.presence.active('slack:U1', now, 60_000);
    await reloadUntil(b.presence, () => b.presence.isOnDuty('slack:U1', now));
    assert.equal(b.presence.isOnDuty('slack:U1', now), true);
    assert.deepEqual(b.presence.onDuty(now), ['slack:U1']);
    assert.equal(b.presence.isOnDuty('slack:U1', new Date(now.getTime() + 61_000)), false, 'activity fades on every instance');
  });

  it('never lets a shorter activity cut a longer one short, and keeps an agent who said "off duty" off', async () => {
    const [a, b] = [await instance(), await instance()];
    const now = new Date();
    a.presence.active('admin:lin', now, 60_000);
    a.presence.active('admin:lin', now, 1_000);
    await reloadUntil(b.presence, () => b.presence.isOnDuty('admin:lin', now));
    const scores = await b.board.read(now.getTime());
    assert.equal(scores.get('admin:lin'), now.getTime() + 60_000);
    await b.presence.declare('admin:lin', false, now);
    assert.equal(b.presence.isOnDuty('admin:lin', now), false);
  });

  it('shares an activity that never fades', async () => {
    const [a, b] = [await instance(), await instance()];
    a.presence.active('admin:desk', new Date(), Number.POSITIVE_INFINITY);
    const later = new Date(Date.now() + 365 * 24 * 3600_000);
    await reloadUntil(b.presence, () => b.presence.isOnDuty('admin:desk', later));
    assert.equal(b.presence.isOnDuty('admin:desk', later), true);
  });
});
