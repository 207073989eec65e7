import assert from 'node:assert/strict';
import { REMOVED } from '../../../../src/bot/core/anonymise.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { readConversations } from '../../../../src/bot/store/store.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const OPEN = new Date('2026-11-27T02:00:00Z');
const WORDS = '包裹一直没到，电话 １３８ １２３４ ５６７８';

describe('the admin Privacy page', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let cookie = '';
  let csrf = '';
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = { cookie }): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  /** Where the customer's words are, by conversation. */
  const holding = async (text: string): Promise<string[]> =>
    [...(await readConversations(server.store))].filter(([, events]) => events.some((e) => e.kind === 'message' && e.text.includes(text))).map(([id]) => id);

  before(async () => {
    server = await testServer(testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN, TACT_RETENTION_DAYS: '365' }), { now: () => OPEN, watchKb: false, schedulerTickMs: 0 });
    const login = await post('/admin/login', { token: TOKEN }, {});
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await (await fetch(`${server.url}/admin/privacy`, { headers: { cookie } })).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    assert.notEqual(csrf, '');
    assert.match(page, /Conversations inactive for 365 days are anonymised every day/);
    assert.deepEqual(server.scheduler.pending().map((t) => t.job.kind), ['retention'], 'the daily retention task is stored at start');
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  it('refuses a form without the session’s CSRF token, an unconfirmed one and a malformed customer, changing nothing', async () => {
    const { client } = await ChatClient.open(server.url, { lang: 'zh' });
    await client.reply();
    await client.say(WORDS);
    await client.reply();
    client.close();
    assert.equal((await holding('包裹一直没到')).length, 1);
    assert.equal((await post('/admin/privacy/forget', { customer: '13812345678', confirm: 'yes' })).status, 403);
    assert.equal((await post('/admin/privacy/forget', { customer: '13812345678', confirm: 'yes', _csrf: 'forged' })).status, 403);
    assert.equal((await post('/admin/privacy/forget', { customer: '13812345678', _csrf: csrf })).status, 422);
    for (const bad of ['', 'x'.repeat(5000), "'; DROP TABLE x; --"]) {
      const r = await post('/admin/privacy/forget', { customer: bad, confirm: 'yes', _csrf: csrf });
      assert.equal(r.status, 422, bad.slice(0, 20));
      assert.ok(!(await r.text()).includes('DROP TABLE'), 'the key is not echoed');
    }
    assert.equal((await holding('包裹一直没到')).length, 1, 'nothing was forgotten');
  });

  it('exports the customer’s words as a download, then forgets them by phone and shows only how many', async () => {
    const exported = await post('/admin/privacy/export', { customer: '138-1234-5678', _csrf: csrf });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition') ?? '', /attachment; filename="customer-export-/);
    assert.ok((await exported.text()).includes('包裹一直没到'));
    const [id] = await holding('包裹一直没到');
    const forgot = await post('/admin/privacy/forget', { customer: '+86 138 1234 5678', confirm: 'yes', _csrf: csrf });
    assert.equal(forgot.status, 303);
    assert.equal(forgot.headers.get('location'), '/admin/privacy?forgot=1');
    assert.deepEqual(await holding('包裹一直没到'), []);
    const events = await server.store.read(id ?? '');
    assert.ok(events.some((e) => e.kind === 'message' && e.from === 'customer' && e.text === REMOVED));
    const page = await (await fetch(`${server.url}/admin/privacy?forgot=1`, { headers: { cookie } })).text();
    assert.match(page, /Forgot 1 conversation/);
    assert.match(page, /forget by admin \(token\), 1 conversation\(s\)/);
    assert.match(page, /export by admin \(token\), 1 conversation\(s\)/);
    assert.ok(!page.includes('5678'), 'the page never shows the phone');
  });
});
