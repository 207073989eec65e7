/**
 * The reverse proxies whose X-Forwarded-For Tact believes
 * (TACT_TRUSTED_PROXIES): addresses and CIDR ranges, IPv4 or IPv6, such as
 * `127.0.0.1,10.0.0.0/8,fd00::/8`. A header from any other peer is
 * whatever that peer chose to write, so only a request whose socket comes
 * from one of these may name another client address (client-ip.ts).
 *
 * Parsed once at startup into typed ranges; each bad entry is a problem
 * naming the variable and the entry. Matching is node's BlockList, which
 * also matches an IPv4-mapped peer (::ffff:10.0.0.2) against IPv4 ranges.
 */
import { BlockList, isIP } from 'node:net';

export interface ProxyRange {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** More entries than this is a mistake (or an attack on startup), not a deployment. */
export const MAX_TRUSTED_PROXY_ENTRIES = 64;
const MAX_TEXT_LENGTH = 4096;
const VARIABLE = 'TACT_TRUSTED_PROXIES';

/**
 * The ranges a comma-separated list names, and a problem for each entry that is not one.
 * @example parseTrustedProxies('127.0.0.1, 10.0.0.0/8') // { ranges: [{ address: '127.0.0.1', prefix: 32, … }, { address: '10.0.0.0', prefix: 8, … }], problems: [] }
 */
export function parseTrustedProxies(text: string): { ranges: ProxyRange[]; problems: string[] } {
  if (text.length > MAX_TEXT_LENGTH) return { ranges: [], problems: [`${VARIABLE}: is ${text.length} characters long; list at most ${MAX_TRUSTED_PROXY_ENTRIES} addresses or CIDR ranges (${MAX_TEXT_LENGTH} characters)`] };
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length > MAX_TRUSTED_PROXY_ENTRIES) return { ranges: [], problems: [`${VARIABLE}: lists ${entries.length} entries; at most ${MAX_TRUSTED_PROXY_ENTRIES} (use CIDR ranges such as 10.0.0.0/8)`] };
  const ranges: ProxyRange[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = rangeOf(entry);
    if (typeof parsed === 'string') problems.push(`${VARIABLE}: ${JSON.stringify(entry.slice(0, 60))} ${parsed}`);
    else ranges.push(parsed);
  }
  return { ranges, problems };
}

/** One entry as a range, or what is wrong with it. */
function rangeOf(entry: string): ProxyRange | string {
  const [address = '', prefixText, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return 'is not an IP address or CIDR range such as 127.0.0.1, 10.0.0.0/8 or fd00::/8 (host names are not looked up)';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: bits, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return `has a prefix length that is not a whole number from 1 to ${bits}`;
  // /0 would believe every peer: any client could then choose the address its limits are counted by.
  if (Number(prefixText) === 0) return 'trusts every address, so any client could pick its own address; list only your proxies';
  return { address, prefix: Number(prefixText), family };
}

/** Whether an address (a socket's peer or an X-Forwarded-For hop) is one of these proxies. */
export function proxyMatcher(ranges: readonly ProxyRange[]): (ip: string) => boolean {
  if (ranges.length === 0) return () => false;
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return (ip) => {
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
  };
}
