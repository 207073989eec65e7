import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createLogger } from '../../../../src/bot/log.js';
import { AUDIT_LOG } from '../../../../src/bot/pipeline/staff-audit.js';
import { Staff } from '../../../../src/bot/pipeline/staff.js';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../../../src/bot/store/store.js';
import { DEFAULT_LIMITS } from '../../../../src/bot/limits.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';

/** The account-wide limit, held back after 10 here instead of 100, so a test reaches it with few password checks. */
const TEST_ACCOUNT_WIDE = { burst: 10, perMinute: 5 };
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const PASSWORD = 'correct horse battery';
const SESSION = 'waitingcustomerxxxxxxx';
const TICKET = 'T1206-CALL1';
const PHONE = '13812345678';
const MAIL = 'lin.customer@example.com';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A customer who asked for a person and left a phone number and an e-mail address with consent. */
function waitingWithContact(at: string): StoredEvent[] {
  return [
    { kind: 'message', at, from: 'customer', text: '请回电话', id: 'asked', contact: MAIL },
    { kind: 'turn', at, id: 'asked' },
    { kind: 'handoff', at, reason: 'requested', team: 'support', channel: '#support', ticket: TICKET, details: { contact: PHONE } },
  ];
}

describe('named staff on the admin pages', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let config: ReturnType<typeof testConfig>;
  let staff: Staff;
  const logged: string[] = [];

  before(async () => {
    config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
    const setup = await openLowdbStore(config.dataDir);
    for (const e of waitingWithContact('2026-12-06T02:00:00.000Z')) await setup.append(SESSION, e);
    await setup.close();
    server = await testServer(config, { watchKb: false, limits: { ...DEFAULT_LIMITS, accountWideFailures: TEST_ACCOUNT_WIDE }, log: createLogger('info', (line) => logged.push(line)) });
    staff = new Staff(server.store, () => new Date());
    await staff.add('Anna', 'editor', PASSWORD);
    await staff.add('Lin', 'agent', PASSWORD);
    await staff.add('Mo', 'admin', PASSWORD);
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  /** One request, from a chosen loopback address (a second client on Linux). */
  function send(method: string, path: string, opts: { cookie?: string; form?: Record<string, string>; from?: string; json?: boolean } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(opts.json ? { accept: 'application/json' } : {}) };
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method, headers, ...(opts.from ? { localAddress: opts.from } : {}) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(opts.form ? new URLSearchParams(opts.form).toString() : undefined);
    });
  }

  const cookieOf = (r: Reply): string => String(r.headers['set-cookie'] ?? '').split(';')[0] ?? '';

  async function signIn(name: string, password = PASSWORD, from?: string): Promise<{ cookie: string; csrf: string }> {
    const res = await send('POST', '/admin/login', { form: { name, password }, ...(from ? { from } : {}) });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const cookie = cookieOf(res);
    const page = await send('GET', '/admin/dashboard', { cookie });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    assert.notEqual(csrf, '');
    return { cookie, csrf };
  }

  async function audit(): Promise<StoredEvent[]> {
    return [...(await server.store.read(AUDIT_LOG))];
  }

  it('signs a person in by name and password, and refuses a wrong password or an unknown name alike, without a cookie', async () => {
    const ok = await send('POST', '/admin/login', { form: { name: 'lin', password: PASSWORD } });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, '/admin/conversations', 'an agent starts at the conversations');
    assert.match(String(ok.headers['set-cookie']), /^tact_admin=[\w.-]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const page = await send('GET', '/admin/conversations', { cookie: cookieOf(ok) });
    assert.match(page.body, /Lin · agent/);
    for (const form of [
      { name: 'Lin', password: `${PASSWORD}x` },
      { name: 'Nobody', password: PASSWORD },
      { name: '<script>alert(1)</script>', password: PASSWORD },
    ]) {
      const bad = await send('POST', '/admin/login', { form, from: '127.0.0.9' });
      assert.equal(bad.status, 401, form.name);
      assert.match(bad.body, /Wrong name or password\./);
      assert.equal(bad.headers['set-cookie'], undefined);
      assert.doesNotMatch(bad.body, /<script>alert/);
    }
    assert.ok(!logged.some((l) => l.includes(PASSWORD)), 'no password in the log');
  });

  it('still takes the admin token, as an admin named "admin (token)"', async () => {
    const res = await send('POST', '/admin/login', { form: { token: TOKEN } });
    assert.equal(res.status, 303);
    const page = await send('GET', '/admin/staff', { cookie: cookieOf(res) });
    assert.equal(page.status, 200);
    assert.match(page.body, /admin \(token\) · admin/);
  });

  it('lets each role do only its part, on every kind of route, and hides the rest', async () => {
    const routes: readonly { method: 'GET' | 'POST'; path: string; need: 'view' | 'kb' | 'desk' | 'privacy' | 'staff' }[] = [
      { method: 'GET', path: '/admin/dashboard', need: 'view' },
      { method: 'GET', path: '/admin/kb', need: 'kb' },
      { method: 'GET', path: '/admin/kb/faq/invoice-get', need: 'kb' },
      { method: 'POST', path: '/admin/kb/try', need: 'kb' },
      { method: 'POST', path: '/admin/kb/save', need: 'kb' },
      { method: 'GET', path: '/admin/gaps', need: 'kb' },
      { method: 'POST', path: '/admin/gaps/alternate', need: 'kb' },
      { method: 'GET', path: '/admin/conversations', need: 'desk' },
      { method: 'POST', path: `/admin/conversations/${SESSION}/reply`, need: 'desk' },
      { method: 'POST', path: `/admin/conversations/${SESSION}/reveal`, need: 'desk' },
      { method: 'POST', path: '/admin/duty', need: 'desk' },
      { method: 'GET', path: `/admin/files/${SESSION}/${'a'.repeat(22)}`, need: 'desk' },
      { method: 'GET', path: '/admin/privacy', need: 'privacy' },
      { method: 'POST', path: '/admin/privacy/forget', need: 'privacy' },
      { method: 'POST', path: '/admin/privacy/export', need: 'privacy' },
      { method: 'GET', path: '/admin/staff', need: 'staff' },
      { method: 'POST', path: '/admin/staff/add', need: 'staff' },
      { method: 'POST', path: '/admin/staff/revoke', need: 'staff' },
    ];
    const allowed = { Anna: ['view', 'kb'], Lin: ['view', 'desk'], Mo: ['view', 'kb', 'desk', 'privacy', 'staff'] } as const;
    for (const [name, needs] of Object.entries(allowed)) {
      const { cookie } = await signIn(name);
      for (const route of routes) {
        // Without a CSRF token: a refused role is told so (forbidden) before the form is even read; an allowed one gets as far as the CSRF check.
        const res = await send(route.method, route.path, { cookie, json: true, ...(route.method === 'POST' ? { form: { name: 'x' } } : {}) });
        const code = res.status === 403 ? (JSON.parse(res.body) as { error: { code: string } }).error.code : null;
        const may = (needs as readonly string[]).includes(route.need);
        assert.equal(code === 'forbidden', !may, `${name} ${route.method} ${route.path}: ${res.status} ${res.body.slice(0, 200)}`);
      }
      if (name !== 'Mo') {
        const refused = await send('GET', name === 'Anna' ? '/admin/conversations' : '/admin/staff', { cookie });
        assert.equal(refused.status, 403);
        assert.match(refused.body, /Your role \((editor|agent)\) does not let you/);
      }
      const nav = (await send('GET', '/admin/dashboard', { cookie })).body;
      assert.equal(/href="\/admin\/kb"/.test(nav), needs.includes('kb' as never), `${name} sees the KB link`);
      assert.equal(/href="\/admin\/conversations"/.test(nav), needs.includes('desk' as never), `${name} sees the conversations link`);
      assert.equal(/href="\/admin\/staff"/.test(nav), needs.includes('staff' as never), `${name} sees the staff link`);
    }
  });

  it('ends a live session when the person is revoked or removed, and when they sign out', async () => {
    const admin = await signIn('Mo');
    await staff.add('Temp', 'agent', PASSWORD);
    const temp = await signIn('Temp');
    assert.equal((await send('GET', '/admin/conversations', { cookie: temp.cookie })).status, 200);
    const revoked = await send('POST', '/admin/staff/revoke', { cookie: admin.cookie, form: { _csrf: admin.csrf, name: 'temp' } });
    assert.equal(revoked.status, 303);
    const after = await send('GET', '/admin/conversations', { cookie: temp.cookie });
    assert.equal(after.status, 303);
    assert.equal(after.headers.location, '/admin/login');

    const again = await signIn('Temp');
    const removed = await send('POST', '/admin/staff/remove', { cookie: admin.cookie, form: { _csrf: admin.csrf, name: 'Temp' } });
    assert.equal(removed.status, 303);
    assert.equal((await send('GET', '/admin/conversations', { cookie: again.cookie })).status, 303);
    assert.equal((await send('POST', '/admin/login', { form: { name: 'Temp', password: PASSWORD } })).status, 401);

    const lin = await signIn('Lin');
    assert.equal((await send('POST', '/admin/logout', { cookie: lin.cookie, form: { _csrf: lin.csrf } })).status, 303);
    assert.equal((await send('GET', '/admin/conversations', { cookie: lin.cookie })).status, 303, 'the old cookie is worth nothing after signing out');
    const entries = (await audit()).filter((e) => e.kind === 'audit' && e.subject === 'Temp');
    assert.deepEqual(
      entries.map((e) => e.kind === 'audit' && [e.who, e.action]),
      [
        ['Mo', 'staff-revoked'],
        ['Mo', 'staff-removed'],
      ],
    );
  });

  it('manages the staff from the admin page: adds, refuses a taken name, a weak or mistyped password and a name that is not one', async () => {
    const admin = await signIn('Mo');
    const add = (form: Record<string, string>) => send('POST', '/admin/staff/add', { cookie: admin.cookie, form: { _csrf: admin.csrf, ...form } });
    assert.equal((await add({ name: 'Kai', role: 'editor', password: PASSWORD, password2: PASSWORD })).status, 303);
    assert.equal((await staff.find('kai'))?.role, 'editor');
    const taken = await add({ name: 'KAI', role: 'agent', password: PASSWORD, password2: PASSWORD });
    assert.equal(taken.status, 409);
    assert.match(taken.body, /already someone called Kai/);
    assert.match((await add({ name: 'Ben', role: 'agent', password: 'short', password2: 'short' })).body, /at least 12 characters/);
    assert.match((await add({ name: 'Ben', role: 'agent', password: PASSWORD, password2: `${PASSWORD}!` })).body, /the two passwords differ/);
    assert.equal((await add({ name: 'Ben', role: 'root', password: PASSWORD, password2: PASSWORD })).status, 422);
    const hostile = await add({ name: '<img src=x onerror=alert(1)>', role: 'agent', password: PASSWORD, password2: PASSWORD });
    assert.equal(hostile.status, 422);
    assert.doesNotMatch(hostile.body, /<img src=x/);
    assert.equal(await staff.find('Ben'), null);
    const noCsrf = await send('POST', '/admin/staff/add', { cookie: admin.cookie, form: { name: 'Eve', role: 'admin', password: PASSWORD, password2: PASSWORD } });
    assert.equal(noCsrf.status, 403);
    assert.equal(await staff.find('Eve'), null);
    const page = await send('GET', '/admin/staff', { cookie: admin.cookie });
    assert.match(page.body, /<td>Kai<\/td><td>editor<\/td>/);
    assert.doesNotMatch(page.body, new RegExp(PASSWORD));
  });

  it("names the person in the KB's audit log for an edit", async () => {
    const anna = await signIn('Anna');
    const res = await send('POST', '/admin/gaps/alternate', { cookie: anna.cookie, form: { _csrf: anna.csrf, faq: 'invoice-get', phrasing: '发票怎么开具呢' } });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const lines = readFileSync(join(config.kbDir, 'audit.jsonl'), 'utf8').trim().split('\n');
    assert.equal((JSON.parse(lines.at(-1) ?? '{}') as { who: string }).who, 'Anna');
  });

  it('masks contact details on the conversations page, reveals them once to an agent for a call-back, and logs who did it without the details', async () => {
    const lin = await signIn('Lin');
    const page = await send('GET', '/admin/conversations', { cookie: lin.cookie });
    assert.match(page.body, new RegExp(TICKET));
    assert.ok(!page.body.includes(PHONE) && !page.body.includes(MAIL), 'masked on the page');
    assert.match(page.body, /Reveal contact for a call-back/);
    const path = `/admin/conversations/${SESSION}/reveal`;
    assert.equal((await send('POST', path, { cookie: lin.cookie, form: {} })).status, 403, 'no CSRF token, no reveal');
    const anna = await signIn('Anna');
    assert.equal((await send('POST', path, { cookie: anna.cookie, form: { _csrf: anna.csrf } })).status, 403, 'an editor may not');
    const before = (await audit()).length;

    const shown = await send('POST', path, { cookie: lin.cookie, form: { _csrf: lin.csrf } });
    assert.equal(shown.status, 200);
    assert.ok(shown.body.includes(PHONE) && shown.body.includes(MAIL), 'shown in full');
    assert.equal(shown.headers['cache-control'], 'no-store');
    const entries = (await audit()).slice(before);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.ok(entry?.kind === 'audit');
    assert.deepEqual({ who: entry.who, action: entry.action, conversation: entry.conversation, ticket: entry.ticket }, { who: 'Lin', action: 'reveal-contact', conversation: SESSION, ticket: TICKET });
    assert.ok(!JSON.stringify(await audit()).includes(PHONE) && !JSON.stringify(await audit()).includes(MAIL), 'the audit log has no contact details');
    assert.ok(!logged.some((l) => l.includes(PHONE) || l.includes(MAIL)), 'nor the server log');
    assert.ok(!(await send('GET', '/admin/conversations', { cookie: lin.cookie })).body.includes(PHONE), 'masked again afterwards');
  });

  it('answers a desk action under the agent’s own name, and names them in the audit log', async () => {
    const lin = await signIn('Lin');
    const res = await send('POST', `/admin/conversations/${SESSION}/reply`, { cookie: lin.cookie, form: { _csrf: lin.csrf, agent: 'Someone Else', text: '您好，我马上给您回电话。' } });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const events = await server.store.read(SESSION);
    assert.ok(events.some((e) => e.kind === 'message' && e.from === 'agent' && e.agent === 'Lin'), 'the customer sees the signed-in name, not a typed one');
    const last = (await audit()).at(-1);
    assert.ok(last?.kind === 'audit');
    assert.deepEqual([last.who, last.action, last.conversation, last.ticket], ['Lin', 'reply', SESSION, TICKET]);
    assert.ok(!JSON.stringify(last).includes('回电话'), 'not what was said');
  });

  it('names a script using the Bearer token "admin (token)" in the audit log', async () => {
    const res = await fetch(`${server.url}/admin/duty`, { method: 'POST', redirect: 'manual', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'on=0' });
    assert.equal(res.status, 303);
    const last = (await audit()).at(-1);
    assert.ok(last?.kind === 'audit');
    assert.deepEqual([last.who, last.action], ['admin (token)', 'duty-off']);
  });

  it('counts sign-ins sent at the same moment before checking them: past the burst they wait (429) without a password check', async () => {
    await staff.add('Racer', 'editor', PASSWORD);
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => send('POST', '/admin/login', { form: { name: 'racer', password: `guess number ${i}` }, from: '127.0.3.1' })));
    const count = (status: number): number => all.filter((r) => r.status === status).length;
    // The burst gets as far as the password check: four checked at once at most, a fifth told the server is busy (503).
    assert.equal(count(401) + count(503), DEFAULT_LIMITS.adminFailures.burst);
    assert.ok(count(401) >= 4, `${count(401)} checked`);
    assert.equal(count(429), 20 - DEFAULT_LIMITS.adminFailures.burst);
  });

  it('holds an account back after many wrong passwords from several addresses (429), while the admin token still gets in', async () => {
    await staff.add('Target', 'admin', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await send('POST', '/admin/login', { form: { name: 'target', password: `guess number ${i}` }, from: `127.0.1.${Math.floor(i / 5) + 1}` })).status);
    assert.deepEqual(statuses, [...Array<number>(10).fill(401), ...Array<number>(4).fill(429)]);
    const held = await send('POST', '/admin/login', { form: { name: 'Target', password: PASSWORD }, from: '127.0.2.1' });
    assert.equal(held.status, 429, 'even the right password waits');
    assert.match(held.body, /Too many sign-ins for this account\. Try again in \d+ seconds\./);
    assert.match(String(held.headers['retry-after']), /^\d+$/);
    assert.equal((await send('POST', '/admin/login', { form: { name: 'Lin', password: PASSWORD }, from: '127.0.2.1' })).status, 303, 'other accounts are not held back');
    assert.equal((await send('POST', '/admin/login', { form: { token: TOKEN }, from: '127.0.2.2' })).status, 303, 'the token still signs in');
  });
});
