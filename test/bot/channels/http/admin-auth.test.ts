import assert from 'node:assert/strict';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const HOUR = 60 * 60 * 1000;

describe('signing in to the admin pages', () => {
  let server: RunningServer;
  let clock: number;
  /** Every response the suite saw, to check that none gives the token away. */
  const seen: { where: string; text: string }[] = [];

  before(async () => {
    clock = Date.parse('2026-11-27T02:00:00Z');
    server = await testServer(testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN }), { watchKb: false, now: () => new Date(clock) });
  });
  after(async () => {
    await server?.close();
    cleanTempDirs();
  });

  async function request(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: string }> {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    const body = await res.text();
    seen.push({ where: `${init.method ?? 'GET'} ${path} body`, text: body }, { where: `${init.method ?? 'GET'} ${path} Location`, text: res.headers.get('location') ?? '' });
    return { status: res.status, headers: res.headers, body };
  }
  const get = (path: string, headers: Record<string, string> = {}) => request(path, { headers });
  const post = (path: string, form: Record<string, string> | string, headers: Record<string, string> = {}) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: typeof form === 'string' ? form : new URLSearchParams(form).toString() });

  /** Signs in with the token; returns the Cookie header a browser would send back. */
  async function signIn(): Promise<string> {
    const res = await post('/admin/login', { token: TOKEN });
    assert.equal(res.status, 303);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  it('refuses to serve /admin at all when no admin token is configured', async () => {
    const off = await testServer(testConfig(shopKb()), { watchKb: false });
    try {
      for (const path of ['/admin', '/admin/login', '/admin/kb']) {
        const res = await fetch(`${off.url}${path}`, { redirect: 'manual' });
        assert.equal(res.status, 404, path);
        assert.match(await res.text(), /admin is disabled: set TACT_ADMIN_TOKEN/);
      }
      const login = await fetch(`${off.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=anything' });
      assert.equal(login.status, 404);
      const script = await fetch(`${off.url}/admin/kb`, { headers: { accept: 'application/json' } });
      assert.deepEqual(await script.json(), { error: { code: 'admin_disabled', message: 'admin is disabled: set TACT_ADMIN_TOKEN (at least 32 characters) and restart the server' } });
    } finally {
      await off.close();
    }
  });

  it('sends a browser without a session to the sign-in page, and refuses its form posts with 401', async () => {
    const page = await get('/admin/kb');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/admin/login');
    assert.equal((await post('/admin/kb/try', { id: 'x', message: 'hi' })).status, 401);
    const login = await get('/admin/login');
    assert.equal(login.status, 200);
    assert.match(login.body, /<input id="token" name="token" type="password"/);
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const res = await post('/admin/login', { token: `${TOKEN.slice(0, -1)}x` });
    assert.equal(res.status, 401);
    assert.match(res.body, /not the admin token/);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  it('signs in with the right token: an HttpOnly, SameSite=Strict, /admin-only session cookie for 12 hours that is not the token', async () => {
    const res = await post('/admin/login', { token: TOKEN });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/dashboard');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^tact_admin=[\w.-]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    assert.ok(!cookie.includes(TOKEN));
    const session = cookie.split(';')[0] ?? '';
    for (const path of ['/admin/dashboard', '/admin/kb', '/admin/kb/faq/ship-time', '/admin/kb/new', '/admin/gaps', '/admin/conversations']) {
      const page = await get(path, { cookie: session });
      assert.equal(page.status, 200, path);
      assert.match(page.body, /Sign out/, path);
    }
    assert.match((await get('/admin/kb', { cookie: session })).body, /ship-time/);
  });

  it('sends the security headers with every page: a strict CSP, no framing, no caching', async () => {
    const session = await signIn();
    for (const res of [await get('/admin/kb', { cookie: session }), await get('/admin/login')]) {
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
  });

  it('ends a session after 12 hours, and never accepts a session it did not sign', async () => {
    const session = await signIn();
    const forged = session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await get('/admin/kb', { cookie: forged })).status, 303);
    clock += 12 * HOUR + 1000;
    try {
      const expired = await get('/admin/kb', { cookie: session });
      assert.equal(expired.status, 303);
      assert.equal(expired.headers.get('location'), '/admin/login');
    } finally {
      clock -= 12 * HOUR + 1000;
    }
  });

  it('accepts the token as "Authorization: Bearer" for scripts, and refuses a wrong one with 401', async () => {
    const ok = await get('/admin/kb', { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /refund-time/);
    const tried = await post('/admin/kb/try', { id: 'ship-time', category: 'shop', question_zh: '下单后多久发货？', answer_zh: '48小时内发货', message: '多久发货' }, { authorization: `Bearer ${TOKEN}` });
    assert.equal(tried.status, 200, 'no CSRF token needed: no browser sends the header by itself');
    const refused = await get('/admin/kb', { authorization: 'Bearer not-the-token', accept: 'application/json' });
    assert.equal(refused.status, 401);
    assert.equal((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'unauthorized');
  });

  it('refuses a form post without the session\'s CSRF token with 403, and takes it with the token', async () => {
    const session = await signIn();
    const form = { id: 'ship-time', category: 'shop', question_zh: '下单后多久发货？', answer_zh: '您好，订单会在付款后48小时内发货。', version: 'x', message: '多久发货' };
    assert.equal((await post('/admin/kb/try', form, { cookie: session })).status, 403);
    assert.equal((await post('/admin/kb/try', { ...form, _csrf: 'forged' }, { cookie: session })).status, 403);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/admin/kb', { cookie: session })).body)?.[1] ?? '';
    assert.ok(csrf);
    const tried = await post('/admin/kb/try', { ...form, _csrf: csrf }, { cookie: session });
    assert.equal(tried.status, 200);
    assert.match(tried.body, /ship-time/);
  });

  it('signs out: the cookie is cleared', async () => {
    const session = await signIn();
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/admin/kb', { cookie: session })).body)?.[1] ?? '';
    const out = await post('/admin/logout', { _csrf: csrf }, { cookie: session });
    assert.equal(out.status, 303);
    assert.match(out.headers.get('set-cookie') ?? '', /^tact_admin=; .*Max-Age=0/);
  });

  it('refuses a login body over 16 KB with 413', async () => {
    const res = await fetch(`${server.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${'x'.repeat(17 * 1024)}` });
    assert.equal(res.status, 413);
  });

  it('never puts the token in a page or a Location header', () => {
    assert.ok(seen.length > 20);
    for (const { where, text } of seen) assert.ok(!text.includes(TOKEN), `the token leaked in ${where}`);
  });
});
