import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { addressReader } from '../../src/bot/limits.js';
import { createLogger } from '../../src/bot/log.js';
import { parseTrustedProxies } from '../../src/bot/core/trusted-proxies.js';

/** A request as the server sees it: from this peer, with these headers. */
function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  const req = new IncomingMessage(socket);
  req.headers = headers;
  return req;
}

describe('addressReader', () => {
  const reader = (list: string) => {
    const lines: string[] = [];
    const read = addressReader(parseTrustedProxies(list).ranges, createLogger('warn', (l) => lines.push(l)));
    return { read, warnings: () => lines.map((l) => JSON.parse(l) as { event: string; message: string }) };
  };

  it("counts a trusted proxy's client by X-Forwarded-For, without a warning", () => {
    const { read, warnings } = reader('127.0.0.1');
    assert.equal(read(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })), '203.0.113.9');
    assert.deepEqual(warnings(), []);
  });

  it('ignores the header from any other peer and says so once, naming the variable', () => {
    const { read, warnings } = reader('127.0.0.1');
    assert.equal(read(request('198.51.100.7', { 'x-forwarded-for': '203.0.113.9' })), '198.51.100.7');
    assert.equal(read(request('198.51.100.8', { 'x-forwarded-for': '203.0.113.10' })), '198.51.100.8');
    assert.equal(warnings().length, 1);
    assert.equal(warnings()[0]?.event, 'limits.proxy_untrusted');
    assert.match(warnings()[0]?.message ?? '', /TACT_TRUSTED_PROXIES/);
  });

  it('says so too when no proxy is trusted at all, and groups IPv6 clients by their /64', () => {
    const { read, warnings } = reader('');
    assert.equal(read(request('2001:db8:1:2::5', { 'x-forwarded-for': '203.0.113.9' })), '2001:db8:1:2::/64');
    assert.equal(warnings().length, 1);
  });
});
