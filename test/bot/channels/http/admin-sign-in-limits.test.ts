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
    const now = () => clock;
    limits = new SignInLimits({ address: new RateLimiter(DEFAULT_LIMITS.adminFailures, { now }), account: DEFAULT_LIMITS.accountFailures.map((spec) => new RateLimiter(spec, { now })) });
  });

  /** Fails from `address` until it is held back; returns how many tries that took. */
  async function failUntilHeld(address: string, name: string | null): Promise<number> {
    let tries = 0;
    while ((await limits.heldBack(address, name)) === null) {
      await limits.failed(address, name);
      tries += 1;
    }
    return tries;
  }

  it('holds an address back after a few failures, and not another address', async () => {
    assert.equal(await failUntilHeld('203.0.113.9', null), DEFAULT_LIMITS.adminFailures.burst);
    const held = await limits.heldBack('203.0.113.9', null);
    assert.equal(held?.by, 'address');
    assert.ok(held && held.waitMs > 0 && held.waitMs <= 30_000, String(held?.waitMs));
    assert.equal(await limits.heldBack('198.51.100.1', null), null);
    clock += 30_000;
    assert.equal(await limits.heldBack('203.0.113.9', null), null, 'the address may try again once the wait is over');
  });

  it('holds one address back long before the account it tries', async () => {
    await failUntilHeld('203.0.113.9', 'lin');
    assert.equal((await limits.heldBack('203.0.113.9', 'lin'))?.by, 'address');
    assert.equal(await limits.heldBack('198.51.100.1', 'lin'), null, 'the real person, elsewhere, still signs in');
  });

  it('holds an account back when many addresses guess at it, with waits that grow and stay capped', async () => {
    let address = 0;
    const waits: number[] = [];
    for (let round = 0; round < 200; round += 1) {
      const from = `10.0.${Math.floor(address / 250)}.${address % 250}`;
      address += 1;
      const held = await limits.heldBack(from, 'Lin');
      if (held === null) {
        await limits.failed(from, 'lin');
        continue;
      }
      assert.equal(held.by, 'account');
      waits.push(held.waitMs);
      clock += held.waitMs;
    }
    assert.ok(waits.length > 0, 'the account was held back');
    assert.ok(waits[0]! <= MINUTE, `first waits are short (${waits[0]})`);
    assert.ok(Math.max(...waits) > MINUTE, `later waits are longer (${Math.max(...waits)})`);
    assert.ok(Math.max(...waits) <= 5 * MINUTE, `and never more than five minutes (${Math.max(...waits)})`);
  });

  it('frees an account on its own once the guessing stops, and at once when it is forgiven', async () => {
    for (let i = 0; i < 50; i += 1) await limits.failed(`10.0.0.${i}`, 'lin');
    assert.equal((await limits.heldBack('192.0.2.1', 'lin'))?.by, 'account');
    clock += 5 * MINUTE;
    assert.equal(await limits.heldBack('192.0.2.1', 'lin'), null, 'a few minutes later the person gets in');
    for (let i = 0; i < 50; i += 1) await limits.failed(`10.0.1.${i}`, 'lin');
    await limits.forgive('LIN');
    assert.equal(await limits.heldBack('192.0.2.1', 'lin'), null);
  });
});
