/**
 * How many sign-ins the admin pages take before they make the next one
 * wait, built from the server's keyed rate limiters (so with several
 * instances they count across all of them). Every attempt is counted before
 * its password is checked: requests sent at the same moment cannot all slip
 * past a limit that only failures already finished had filled.
 *
 *   per address        any sign-in on the form (token or password), and a script's wrong Bearer token:
 *                      a few at once, then one every 30 seconds. Counted first, so one attacker is
 *                      held back by their address.
 *   per account, from  one name from one address, in steps: after 10, one a minute; after 30 more,
 *   one address        one every 5 minutes. The person's own address has its own buckets, so a
 *                      guesser elsewhere cannot lock them out.
 *   per account        one name from anywhere, looser than any one address may go: only many
 *                      addresses together slow it, and never for good.
 *
 * A successful sign-in forgives its address and the account's buckets, and
 * a new password set on the admin page forgives the account. At most a few
 * passwords are checked at once (each costs a scrypt): past that a sign-in
 * is refused as busy, so a flood cannot starve the chat of the thread pool.
 */
import type { Limiter } from '../../core/rate-limit.js';

/** Which limit holds a sign-in back, and for how long (ms); null when none does. */
export type HeldBack = { readonly by: 'address' | 'account' | 'busy'; readonly waitMs: number } | null;

export interface SignInLimiters {
  readonly address: Limiter;
  /** One account from one address, in steps, quick to slow: each must allow a try. */
  readonly account: readonly Limiter[];
  /** One account from any address. */
  readonly accountWide: Limiter;
}

/** Password checks running at once, server-wide. */
const MAX_CHECKS = 4;
const BUSY_RETRY_MS = 2000;

export class SignInLimits {
  private checking = 0;

  constructor(private readonly limiters: SignInLimiters) {}

  /** Counts a sign-in from `address` (for account `name`, when one is named); says what holds it back, if anything. */
  async attempt(address: string, name: string | null): Promise<HeldBack> {
    const byAddress = await this.limiters.address.take(address);
    if (!byAddress.ok) return { by: 'address', waitMs: byAddress.retryAfterMs };
    if (name === null) return null;
    const key = accountKey(name);
    const verdicts = await Promise.all([...this.limiters.account.map((l) => l.take(`${key}@${address}`)), this.limiters.accountWide.take(key)]);
    const waitMs = Math.max(0, ...verdicts.map((v) => (v.ok ? 0 : v.retryAfterMs)));
    return waitMs > 0 ? { by: 'account', waitMs } : null;
  }

  /** Milliseconds until a script's Bearer token may be tried from `address` (0: now); a token costs nothing to check, so only failures count. */
  async bearerWait(address: string): Promise<number> {
    return this.limiters.address.wait(address);
  }

  /** A wrong Bearer token from `address`. */
  async bearerFailed(address: string): Promise<void> {
    await this.limiters.address.take(address);
  }

  /** Runs a password check if fewer than MAX_CHECKS are running; null when it must wait (busy). */
  async check<T>(run: () => Promise<T>): Promise<{ readonly value: T } | null> {
    if (this.checking >= MAX_CHECKS) return null;
    this.checking++;
    try {
      return { value: await run() };
    } finally {
      this.checking--;
    }
  }

  /** The wait to tell a sign-in refused as busy. */
  readonly busyMs = BUSY_RETRY_MS;

  /** Someone signed in from `address`: the address and the account start afresh there. */
  async succeeded(address: string, name: string): Promise<void> {
    await this.limiters.address.reset(address);
    await this.forgive(name, address);
  }

  /** The account's buckets are forgiven (it has a new password), everywhere or from one address. */
  async forgive(name: string, address?: string): Promise<void> {
    const key = accountKey(name);
    if (address !== undefined) for (const l of this.limiters.account) await l.reset(`${key}@${address}`);
    await this.limiters.accountWide.reset(key);
  }
}

/** Names are one account whatever their case; the prefix keeps them apart from addresses in a shared limiter. */
function accountKey(name: string): string {
  return `account:${name.normalize('NFC').trim().toLowerCase()}`;
}
