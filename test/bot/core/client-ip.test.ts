import assert from 'node:assert/strict';
import { clientIp, clientKey, groupOf } from '../../../src/bot/core/client-ip.js';
import { parseTrustedProxies, proxyMatcher } from '../../../src/bot/core/trusted-proxies.js';

/** Trusts these addresses and ranges, as TACT_TRUSTED_PROXIES would. */
const trusting = (list: string): ((ip: string) => boolean) => proxyMatcher(parseTrustedProxies(list).ranges);
const none = trusting('');
const loopbackAndLan = trusting('127.0.0.1,10.0.0.0/8,fd00::/8');

describe('clientIp', () => {
  it("uses the socket's peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    assert.equal(clientIp('198.51.100.7', '203.0.113.9', none), '198.51.100.7');
  });

  it('ignores a spoofed X-Forwarded-For from a peer that is not a trusted proxy', () => {
    assert.equal(clientIp('198.51.100.7', '203.0.113.9', loopbackAndLan), '198.51.100.7', 'a client reaching the port around the proxy');
    assert.equal(clientIp('198.51.100.7', '10.0.0.2, 127.0.0.1', loopbackAndLan), '198.51.100.7', 'even when it names trusted proxies');
  });

  it('walks X-Forwarded-For from the right past trusted proxies to the first address they stand for', () => {
    assert.equal(clientIp('127.0.0.1', '203.0.113.9', loopbackAndLan), '203.0.113.9', 'nginx on this machine');
    assert.equal(clientIp('127.0.0.1', '1.1.1.1, 203.0.113.9', loopbackAndLan), '203.0.113.9', 'a client-sent entry on the left is ignored');
    assert.equal(clientIp('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.3', loopbackAndLan), '203.0.113.9', 'two trusted proxies');
    assert.equal(clientIp('::ffff:127.0.0.1', '203.0.113.9', loopbackAndLan), '203.0.113.9', 'an IPv4-mapped peer on a dual-stack socket');
    assert.equal(clientIp('fd00::1', '2001:db8::7, fd00::2', loopbackAndLan), '2001:db8::7', 'IPv6 proxies');
    assert.equal(clientIp('127.0.0.1', ['1.1.1.1', '203.0.113.9'], loopbackAndLan), '203.0.113.9', 'repeated headers read as one list');
  });

  it('stops at an entry that is not an address, keeping the nearest trusted hop', () => {
    assert.equal(clientIp('127.0.0.1', 'evil, <script>', loopbackAndLan), '127.0.0.1');
    assert.equal(clientIp('127.0.0.1', '203.0.113.9, junk, 10.0.0.3', loopbackAndLan), '10.0.0.3');
    assert.equal(clientIp('127.0.0.1', ' , ,203.0.113.9,, ', loopbackAndLan), '203.0.113.9', 'empty entries are skipped');
  });

  it('keeps the farthest proxy reached when every hop is trusted or the chain is too long to walk', () => {
    assert.equal(clientIp('127.0.0.1', '10.0.0.9, 10.0.0.3', loopbackAndLan), '10.0.0.9');
    const hostile = `203.0.113.9, ${Array.from({ length: 5000 }, (_, i) => `10.0.${i % 250}.1`).join(', ')}`;
    assert.match(clientIp('127.0.0.1', hostile, loopbackAndLan), /^10\.0\.\d+\.1$/, 'a 70 KB chain of trusted hops is not walked to its end');
  });

  it('falls back to the peer when the header is missing', () => {
    assert.equal(clientIp('10.0.0.2', undefined, loopbackAndLan), '10.0.0.2');
    assert.equal(clientIp(undefined, undefined, none), 'unknown');
    assert.equal(clientIp(undefined, '203.0.113.9', loopbackAndLan), 'unknown', 'a socket without a peer is no trusted proxy');
  });
});

describe('groupOf', () => {
  it('keeps IPv4 addresses, also written IPv4-mapped', () => {
    assert.equal(groupOf('203.0.113.9'), '203.0.113.9');
    assert.equal(groupOf('::ffff:203.0.113.9'), '203.0.113.9');
  });

  it('groups IPv6 addresses by their /64', () => {
    assert.equal(groupOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(groupOf('2001:db8:1:2::99'), '2001:db8:1:2::/64');
    assert.equal(groupOf('2001:0db8:0001:0002:ffff::1'), '2001:db8:1:2::/64');
    assert.equal(groupOf('::1'), '0:0:0:0::/64');
  });

  it('gives one key to the whole /64 behind a trusted proxy', () => {
    assert.equal(clientKey('10.0.0.2', '2001:db8:1:2::a', loopbackAndLan), clientKey('10.0.0.2', '2001:db8:1:2:ffff::b', loopbackAndLan));
  });
});
