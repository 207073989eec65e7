import assert from 'node:assert/strict';
import { RateLimiter, retryAfterSeconds } from '../../../src/bot/core/rate-limit.js';

describe('RateLimiter', () => {
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('allows a burst, then refuses with the time until the next take', () => {
    const limits = new RateLimiter({ burst: 3, perMinute: 6 }, { now });
    for (let i = 0; i < 3; i++) assert.deepEqual(limits.take('a'), { ok: true });
    assert.deepEqual(limits.take('a'), { ok: false, retryAfterMs: 10_000 });
    clock += 9_999;
    assert.equal(limits.take('a').ok, false);
    clock += 1;
    assert.deepEqual(limits.take('a'), { ok: true });
    assert.equal(limits.take('a').ok, false);
  });

  it('counts each key on its own', () => {
    const limits = new RateLimiter({ burst: 1, perMinute: 1 }, { now });
    assert.equal(limits.take('a').ok, true);
    assert.equal(limits.take('a').ok, false);
    assert.equal(limits.take('b').ok, true);
  });

  it('tells how long to wait without taking, and forgets a key on reset', () => {
    const limits = new RateLimiter({ burst: 1, perMinute: 2 }, { now });
    assert.equal(limits.wait('a'), 0);
    limits.take('a');
    assert.equal(limits.wait('a'), 30_000);
    assert.equal(limits.wait('a'), 30_000, 'waiting takes nothing');
    limits.reset('a');
    assert.equal(limits.wait('a'), 0);
  });

  it('sustains no more than its rate over a long flood', () => {
    const limits = new RateLimiter({ burst: 5, perMinute: 12 }, { now });
    let allowed = 0;
    for (let i = 0; i <= 10_000; i++, clock += 60) if (limits.take('flood').ok) allowed++;
    // 10,001 tries over 600 s: the burst plus 12 a minute for ten minutes.
    assert.equal(allowed, 5 + 120);
  });

  it('gives nothing back when the clock steps backwards', () => {
    const limits = new RateLimiter({ burst: 1, perMinute: 1 }, { now });
    limits.take('a');
    clock -= 3_600_000;
    assert.equal(limits.take('a').ok, false);
  });

  it('holds at most maxKeys keys, however many it sees', () => {
    const limits = new RateLimiter({ burst: 2, perMinute: 1 }, { now, maxKeys: 100 });
    for (let i = 0; i < 5_000; i++) limits.take(`k${i}`);
    assert.equal(limits.size, 100);
    // The most recent keys are the ones kept.
    limits.take('k4999');
    assert.equal(limits.take('k4999').ok, false);
  });

  it('forgets keys whose bucket has filled up again', () => {
    const limits = new RateLimiter({ burst: 2, perMinute: 60 }, { now });
    for (let i = 0; i < 50; i++) limits.take(`k${i}`);
    clock += 60_000;
    for (let i = 0; i < 50; i++) limits.take('fresh');
    assert.ok(limits.size <= 2, `${limits.size} keys left`);
  });

  it('refuses a limit that could never allow anything', () => {
    assert.throws(() => new RateLimiter({ burst: 0, perMinute: 1 }), RangeError);
    assert.throws(() => new RateLimiter({ burst: 1, perMinute: 0 }), RangeError);
  });

  it('rounds a retry hint up to whole seconds, at least one', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(0), 1);
    assert.equal(retryAfterSeconds(10_001), 11);
  });
});
