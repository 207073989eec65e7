import assert from 'node:assert/strict';
import { SignInLimits } from '../../../../src/bot/channels/http/admin-sign-in-limits.js';
import { RateLimiter } from '../../../../src/bot/core/rate-limit.js';
import { DEFAULT_LIMITS } from '../../../../src/bot/limits.js';

const MINUTE = 60_000;

describe('admin sign-in limits', () => {
  let clock: number;
  let limits: SignInLimits;

  beforeEach(() => {
    clock = Date.parse('2026-12-06T02:00:00Z');
    const now = (): number => clock;
    limits = new SignInLimits({
      address: new RateLimiter(DEFAULT_LIMITS.adminFailures, { now }),
      account: DEFAULT_LIMITS.accountFailures.map((spec) => new RateLimiter(spec, { now })),
      accountWide: new RateLimiter(DEFAULT_LIMITS.accountWideFailures, { now }),
    });
  });

  it('counts every attempt before it is checked: past the burst, the next one at once from that address waits', async () => {
    const burst = DEFAULT_LIMITS.adminFailures.burst;
    const all = await Promise.all(Array.from({ length: 60 }, () => limits.attempt('203.0.113.9', 'lin')));
    assert.equal(all.filter((h) => h === null).length, burst, 'sent together, only the burst gets through');
    const held = all.at(-1);
    assert.equal(held?.by, 'address');
    assert.ok(held && held.waitMs > 0 && held.waitMs <= 30_000, String(held?.waitMs));
    assert.equal(await limits.attempt('198.51.100.1', null), null, 'another address is not held');
    clock += 30_000;
    assert.equal(await limits.attempt('203.0.113.9', null), null, 'the address may try again once the wait is over');
  });

  it('never lets a guesser at one address keep the person, signing in once a minute from their own, out', async () => {
    let guesser = 0;
    let personIn = 0;
    let personTries = 0;
    for (let t = 0; t < 6 * 60 * MINUTE; t += 10_000) {
      clock += 10_000;
      if ((await limits.attempt('203.0.113.9', 'Lin')) === null) guesser += 1;
      if (t % MINUTE !== 0) continue;
      personTries += 1;
      if ((await limits.attempt('192.0.2.1', 'lin')) !== null) continue;
      // The person knows their password: each try signs in.
      personIn += 1;
      await limits.succeeded('192.0.2.1', 'lin');
    }
    assert.ok(guesser < 6 * 60, `the guesser is slowed (${guesser} tries in six hours)`);
    assert.equal(personIn, personTries, 'every try of the person gets to the password check');
  });

  it('slows an account guessed at from many addresses, with short waits that stay capped', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 400; i += 1) {
      const held = await limits.attempt(`10.0.${Math.floor(i / 250)}.${i % 250}`, 'Lin');
      if (held === null) continue;
      assert.equal(held.by, 'account');
      waits.push(held.waitMs);
      clock += held.waitMs;
    }
    assert.ok(waits.length > 0, 'the account was held back');
    assert.ok(Math.max(...waits) <= MINUTE, `a wait is at most a minute (${Math.max(...waits)})`);
  });

  it('slows one address guessing one account more and more, never past five minutes, and forgives it on success', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 120; i += 1) {
      const held = await limits.attempt('203.0.113.9', 'lin');
      if (held === null) continue;
      waits.push(held.waitMs);
      clock += held.waitMs;
    }
    assert.ok(Math.max(...waits) > MINUTE, `later waits are longer than a minute (${Math.max(...waits)})`);
    assert.ok(Math.max(...waits) <= 5 * MINUTE, `and never more than five minutes (${Math.max(...waits)})`);
    await limits.succeeded('203.0.113.9', 'LIN');
    assert.equal(await limits.attempt('203.0.113.9', 'lin'), null, 'signed in: the address and the account start afresh');
  });

  it('checks at most four passwords at once and says busy to a fifth', async () => {
    const gates: (() => void)[] = [];
    const running = Array.from({ length: 4 }, () => limits.check(() => new Promise<boolean>((ok) => gates.push(() => ok(true)))));
    assert.equal(await limits.check(() => Promise.resolve(true)), null);
    for (const open of gates) open();
    assert.deepEqual(await Promise.all(running), Array.from({ length: 4 }, () => ({ value: true })));
    assert.deepEqual(await limits.check(() => Promise.resolve(true)), { value: true }, 'free again once they finish');
  });
});
