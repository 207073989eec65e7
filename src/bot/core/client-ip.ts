/**
 * Which address a request comes from, as the abuse limits count it. The
 * socket's own peer is the truth unless the operator says reverse proxies
 * stand in front (TACT_TRUST_PROXY = how many): then the address the
 * nearest trusted proxy saw is read from X-Forwarded-For, counting from the
 * right — entries further left are whatever the client chose to send.
 *
 * Addresses are grouped as a person usually holds them: an IPv4 address on
 * its own, an IPv6 address by its /64 (one home or phone gets a whole /64,
 * so counting single IPv6 addresses would let one client be millions).
 */
import { isIP } from 'node:net';

/**
 * The limit key for a request's client.
 * @example clientKey('10.0.0.2', '203.0.113.9, 10.0.0.2', 1) // '203.0.113.9' (one proxy: the last entry is what it saw)
 */
export function clientKey(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trustedProxies: number): string {
  return groupOf(clientIp(peer, forwardedFor, trustedProxies));
}

/** The client's address: the socket's peer, or with N trusted proxies the Nth X-Forwarded-For entry from the right. */
export function clientIp(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trustedProxies: number): string {
  const own = peer ?? 'unknown';
  if (trustedProxies <= 0 || forwardedFor === undefined) return own;
  const hops = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor)
    .join(',')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  // Fewer entries than proxies: the request skipped a proxy; the leftmost is the farthest anyone vouches for.
  const seen = hops[Math.max(0, hops.length - trustedProxies)];
  return seen !== undefined && isIP(seen) !== 0 ? seen : own;
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
