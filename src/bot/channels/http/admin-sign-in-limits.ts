/**
 * How many failed sign-ins the admin pages take before they make the next
 * one wait, built from the server's keyed rate limiters (so with several
 * instances they count across all of them):
 *
 *   per address   wrong tokens and wrong passwords alike: a few at once, then one every 30 seconds.
 *                 Checked first, so one attacker is held back by their address long before an account is.
 *   per account   wrong passwords for one name, from anywhere, in two steps: after 10, one a minute;
 *                 after 30 more, one every 5 minutes — the longest wait, never a lockout for good.
 *
 * Buckets refill on their own, so an account is free again minutes after
 * the failures stop; a successful sign-in forgives the account its
 * failures, and so does a new password. While someone keeps an account
 * held back from many addresses, the admin token still signs in (it counts
 * only against the address), and `tact staff passwd` sets a new password.
 */
import type { Limiter } from '../../core/rate-limit.js';

/** Which limit holds a sign-in back, and for how long (ms); null when none does. */
export type HeldBack = { readonly by: 'address' | 'account'; readonly waitMs: number } | null;

export interface SignInLimiters {
  readonly address: Limiter;
  /** The account's steps, quick to slow: each must allow a try. */
  readonly account: readonly Limiter[];
}

export class SignInLimits {
  constructor(private readonly limiters: SignInLimiters) {}

  /** Whether a sign-in from `address` (for account `name`, when one is named) must wait first. */
  async heldBack(address: string, name: string | null): Promise<HeldBack> {
    const byAddress = await this.limiters.address.wait(address);
    if (byAddress > 0) return { by: 'address', waitMs: byAddress };
    if (name === null) return null;
    const waits = await Promise.all(this.limiters.account.map((l) => l.wait(accountKey(name))));
    const byAccount = Math.max(0, ...waits);
    return byAccount > 0 ? { by: 'account', waitMs: byAccount } : null;
  }

  /** Counts a failed sign-in against the address, and against the account when one was named. */
  async failed(address: string, name: string | null): Promise<void> {
    await this.limiters.address.take(address);
    if (name !== null) for (const l of this.limiters.account) await l.take(accountKey(name));
  }

  /** The account's failures are forgiven (it signed in, or has a new password). */
  async forgive(name: string): Promise<void> {
    for (const l of this.limiters.account) await l.reset(accountKey(name));
  }
}

/** Names are one account whatever their case; the prefix keeps them apart from addresses in a shared limiter. */
function accountKey(name: string): string {
  return `account:${name.normalize('NFC').trim().toLowerCase()}`;
}
