import assert from 'node:assert/strict';
import { request } from 'node:http';
import { DEFAULT_LIMITS } from '../../../../src/bot/limits.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One HTTP request, from a chosen loopback address (a real second client on Linux). */
function send(server: RunningServer, method: string, path: string, opts: { headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers: opts.headers ?? {}, ...(opts.from ? { localAddress: opts.from } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const login = (server: RunningServer, token: string, from?: string): Promise<Reply> => send(server, 'POST', '/admin/login', { headers: FORM, body: new URLSearchParams({ token }).toString(), ...(from ? { from } : {}) });
const cookieOf = (r: Reply): string => String(r.headers['set-cookie'] ?? '').split(';')[0] ?? '';

describe('admin sign-in limits and sign-out', function () {
  this.timeout(20_000);
  let server: RunningServer;
  let config: ReturnType<typeof testConfig>;

  beforeEach(async () => {
    config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
    server = await testServer(config, { watchKb: false, limits: DEFAULT_LIMITS });
  });
  afterEach(async () => {
    await server.close();
  });
  after(() => cleanTempDirs());

  it('answers 300 wrong tokens with 429 and Retry-After after the first few, even the right token meanwhile, and not other addresses', async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 300; i++) {
      const r = await login(server, `guess-${i}-${TOKEN}`);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers['retry-after'];
    }
    const burst = DEFAULT_LIMITS.adminFailures.burst;
    assert.deepEqual(statuses.slice(0, burst), Array<number>(burst).fill(401));
    assert.deepEqual(statuses.slice(burst), Array<number>(300 - burst).fill(429));
    assert.match(String(retryAfter), /^\d+$/);
    assert.ok(Number(retryAfter) >= 1);
    assert.equal((await login(server, TOKEN)).status, 429, 'no more guesses, right or wrong, until the wait is over');
    assert.equal((await login(server, TOKEN, '127.0.0.2')).status, 303, 'an editor elsewhere still signs in');
  });

  it('counts wrong Bearer tokens too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await send(server, 'GET', '/admin/kb', { headers: { authorization: `Bearer wrong-${i}`, accept: 'application/json' } })).status);
    assert.deepEqual(statuses, [...Array<number>(DEFAULT_LIMITS.adminFailures.burst).fill(401), ...Array<number>(20 - DEFAULT_LIMITS.adminFailures.burst).fill(429)]);
    const limited = await send(server, 'GET', '/admin/kb', { headers: { authorization: `Bearer wrong`, accept: 'application/json' } });
    assert.equal((JSON.parse(limited.body) as { error: { code: string } }).error.code, 'too_many_attempts');
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
  });

  it('revokes a session on sign-out: the old cookie gets the sign-in page', async () => {
    const cookie = cookieOf(await login(server, TOKEN));
    const page = await send(server, 'GET', '/admin/kb', { headers: { cookie } });
    assert.equal(page.status, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const out = await send(server, 'POST', '/admin/logout', { headers: { ...FORM, cookie }, body: new URLSearchParams({ _csrf: csrf }).toString() });
    assert.equal(out.status, 303);
    const after = await send(server, 'GET', '/admin/kb', { headers: { cookie } });
    assert.equal(after.status, 303, 'a copied cookie is worth nothing after sign-out');
    assert.equal(after.headers['location'], '/admin/login');
    assert.equal((await send(server, 'POST', '/admin/kb/try', { headers: { ...FORM, cookie }, body: `_csrf=${csrf}&id=x&message=hi` })).status, 401);
  });

  it('keeps other sessions signed in when one signs out', async () => {
    const mine = cookieOf(await login(server, TOKEN));
    const theirs = cookieOf(await login(server, TOKEN));
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await send(server, 'GET', '/admin/kb', { headers: { cookie: mine } })).body)?.[1] ?? '';
    await send(server, 'POST', '/admin/logout', { headers: { ...FORM, cookie: mine }, body: new URLSearchParams({ _csrf: csrf }).toString() });
    assert.equal((await send(server, 'GET', '/admin/kb', { headers: { cookie: theirs } })).status, 200);
  });

  it('asks every editor to sign in again after a restart (sessions live in memory)', async () => {
    const cookie = cookieOf(await login(server, TOKEN));
    await server.close();
    server = await testServer(config, { watchKb: false, limits: DEFAULT_LIMITS });
    const page = await send(server, 'GET', '/admin/kb', { headers: { cookie } });
    assert.equal(page.status, 303);
    assert.equal(page.headers['location'], '/admin/login');
  });
});
