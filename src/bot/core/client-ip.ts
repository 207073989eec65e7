/**
 * Which address a request comes from, as the abuse limits count it. The
 * socket's own peer is the truth unless it is one of the reverse proxies
 * the operator trusts (TACT_TRUSTED_PROXIES, trusted-proxies.ts): then
 * X-Forwarded-For is walked from the right, past every trusted proxy, and
 * the first address no trusted proxy stands for is the client. Entries
 * further left are whatever the client chose to send, so a client cannot
 * pick its own address, through the proxy or around it.
 *
 * Addresses are grouped as a person usually holds them: an IPv4 address on
 * its own, an IPv6 address by its /64 (one home or phone gets a whole /64,
 * so counting single IPv6 addresses would let one client be millions).
 */
import { isIP } from 'node:net';

/** Whether an address is a trusted proxy (trusted-proxies.ts proxyMatcher). */
export type IsTrustedProxy = (ip: string) => boolean;

/** Hops walked at most: a longer chain of trusted proxies is a loop or an attack; the nearest one's word is kept. */
const MAX_HOPS = 20;

/**
 * The limit key for a request's client.
 * @example clientKey('10.0.0.2', '203.0.113.9, 10.0.0.3', (ip) => ip.startsWith('10.')) // '203.0.113.9'
 */
export function clientKey(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, isTrusted: IsTrustedProxy): string {
  return groupOf(clientIp(peer, forwardedFor, isTrusted));
}

/** The client's address: the socket's peer, or, from a trusted proxy, the rightmost X-Forwarded-For entry that is not a trusted proxy. */
export function clientIp(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, isTrusted: IsTrustedProxy): string {
  const own = peer ?? 'unknown';
  if (forwardedFor === undefined || !isTrusted(own)) return own;
  const hops = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor).join(',').split(',');
  let nearest = own;
  for (let i = hops.length - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--) {
    const hop = (hops[i] as string).trim();
    if (hop === '') continue;
    walked++;
    // Not an address: the trusted proxy that wrote it vouches for nothing further; it is the client as far as anyone knows.
    if (isIP(hop) === 0) return nearest;
    if (!isTrusted(hop)) return hop;
    nearest = hop;
  }
  // Every hop is a trusted proxy (or too many to walk): the farthest one reached is the best anyone vouches for.
  return nearest;
}

/** An IPv4 address (also one written IPv4-mapped, ::ffff:a.b.c.d) as itself; an IPv6 address as its /64. */
export function groupOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (isIP(ip) !== 6) return ip;
  const groups = expand(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

/** The eight groups of an IPv6 address (no zone, no embedded IPv4), or null. */
function expand(ip: string): string[] | null {
  if (ip.includes('.') || ip.includes('%')) return null;
  const [head = '', tail, ...rest] = ip.split('::');
  if (rest.length > 0) return null;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16).toString(16));
}
