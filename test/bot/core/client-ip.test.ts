import assert from 'node:assert/strict';
import { clientIp, clientKey, groupOf } from '../../../src/bot/core/client-ip.js';

describe('clientIp', () => {
  it("uses the socket's peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    assert.equal(clientIp('198.51.100.7', '203.0.113.9', 0), '198.51.100.7');
  });

  it('reads the address the nearest trusted proxy saw, counting from the right', () => {
    assert.equal(clientIp('10.0.0.2', '1.1.1.1, 203.0.113.9', 1), '203.0.113.9', 'a client-sent entry on the left is ignored');
    assert.equal(clientIp('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.3', 2), '203.0.113.9');
    assert.equal(clientIp('10.0.0.2', ['1.1.1.1', '203.0.113.9'], 1), '203.0.113.9', 'repeated headers read as one list');
  });

  it('falls back to the peer when the header is missing or not an address', () => {
    assert.equal(clientIp('10.0.0.2', undefined, 1), '10.0.0.2');
    assert.equal(clientIp('10.0.0.2', 'evil, <script>', 1), '10.0.0.2');
    assert.equal(clientIp(undefined, undefined, 0), 'unknown');
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
    assert.equal(clientKey('10.0.0.2', '2001:db8:1:2::a', 1), clientKey('10.0.0.2', '2001:db8:1:2:ffff::b', 1));
  });
});
