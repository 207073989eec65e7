/**
 * The server's abuse limits in one object, with their defaults: how many
 * new chat sessions and handoffs one address (and one session) may start,
 * how many failed admin sign-ins one address and one account may have
 * (channels/http/admin-sign-in-limits.ts), and how many chat
 * sessions stay in memory. One script must not fill the memory, the disk
 * or the human queue; a busy office behind one address must still get in.
 *
 * The server builds its rate limiters from these (core/rate-limit.ts); tests
 * and the benchmark pass their own.
 */
import type { IncomingMessage } from 'node:http';
import { clientKey } from './core/client-ip.js';
import { proxyMatcher, type ProxyRange } from './core/trusted-proxies.js';
import type { RateSpec } from './core/rate-limit.js';
import type { Logger } from './log.js';

export interface AbuseLimits {
  /** New chat sessions (a hello without a valid token) per address. */
  readonly newSessions: RateSpec;
  /** Handoffs entering the human queue per address. */
  readonly handoffsPerAddress: RateSpec;
  /** Handoffs entering the human queue per session (handed back to the bot and asking again). */
  readonly handoffsPerSession: RateSpec;
  /** Admin sign-ins on the form (token or password) and wrong Bearer tokens per address, before 429 with Retry-After. */
  readonly adminFailures: RateSpec;
  /** Sign-ins to one staff account from one address, in steps (quick, then slow): each must allow a try. */
  readonly accountFailures: readonly RateSpec[];
  /** Sign-ins to one staff account from anywhere: faster than one address may go, so only many addresses together slow it. */
  readonly accountWideFailures: RateSpec;
  /** Files (photos, PDFs) uploaded per chat session. */
  readonly uploads: RateSpec;
  /** Chat sessions held in memory; beyond it the longest-idle ones without a socket are dropped (they reload from the store). */
  readonly maxSessions: number;
}

export const DEFAULT_LIMITS: AbuseLimits = {
  // A shop's whole office behind one NAT opens a few chats a minute at most; a script opens hundreds.
  newSessions: { burst: 20, perMinute: 4 },
  handoffsPerAddress: { burst: 5, perMinute: 0.2 },
  handoffsPerSession: { burst: 3, perMinute: 0.1 },
  adminFailures: { burst: 5, perMinute: 2 },
  // After 10 wrong passwords one a minute, after 30 more one every 5 minutes: slow for a guesser, minutes for the person.
  accountFailures: [
    { burst: 10, perMinute: 1 },
    { burst: 40, perMinute: 0.2 },
  ],
  accountWideFailures: { burst: 100, perMinute: 5 },
  // A customer sends a few photos of a damaged parcel; a script sends thousands to fill the disk.
  uploads: { burst: 20, perMinute: 10 },
  maxSessions: 10_000,
};

/**
 * Reads the address a request counts as. X-Forwarded-For from a peer that
 * is not a trusted proxy is ignored; the first time that happens it is
 * logged, naming the fix, because behind a proxy nobody listed every
 * customer would share the proxy's address (and its limits).
 */
export function addressReader(trustedProxies: readonly ProxyRange[], log: Logger): (req: IncomingMessage) => string {
  const isTrusted = proxyMatcher(trustedProxies);
  let warned = false;
  return (req) => {
    const forwarded = req.headers['x-forwarded-for'];
    const peer = req.socket.remoteAddress;
    if (forwarded !== undefined && !warned && !isTrusted(peer ?? '')) {
      warned = true;
      log.warn('limits.proxy_untrusted', { message: 'a request carried X-Forwarded-For from a peer not in TACT_TRUSTED_PROXIES, so the header was ignored. If a reverse proxy of yours sends it, add its address (e.g. TACT_TRUSTED_PROXIES=127.0.0.1 for nginx on this machine), or every client behind it shares its limits.' });
    }
    return clientKey(peer, forwarded, isTrusted);
  };
}
