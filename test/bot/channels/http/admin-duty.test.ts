import assert from 'node:assert/strict';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
/** Friday 10:00 in Shanghai: within service hours. */
const OPEN = new Date('2026-11-27T02:00:00Z');

describe('the admin page as an agent on duty', function () {
  this.timeout(30_000);
  let server: RunningServer;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const view = async (): Promise<string> => (await fetch(`${server.url}/admin/conversations`, { headers: auth })).text();
  const duty = (on: string): Promise<Response> =>
    fetch(`${server.url}/admin/duty`, { method: 'POST', redirect: 'manual', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ on }).toString() });

  before(async () => {
    server = await testServer(testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN }), { now: () => OPEN, onDuty: [], watchKb: false });
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  it('counts the conversations view being open as being on duty', async () => {
    assert.equal(server.desk.staffed(OPEN), 0);
    assert.match(await view(), /You are on duty \(while this page is open\)/);
    assert.equal(server.desk.staffed(OPEN), 1);
  });

  it('goes off duty with the toggle, whatever the page being open says, and back on', async () => {
    assert.equal((await duty('0')).status, 303);
    assert.equal(server.desk.staffed(OPEN), 0);
    assert.match(await view(), /You are off duty/);
    assert.equal(server.desk.staffed(OPEN), 0, 'looking at the page does not put an agent who went off duty back on');
    assert.equal((await duty('1')).status, 303);
    assert.equal(server.desk.staffed(OPEN), 1);
    assert.match(await view(), /You are on duty\.<\/strong>/);
  });

  it('refuses anything but on=1 or on=0', async () => {
    for (const on of ['2', '', 'yes', '1'.repeat(10_000)]) assert.equal((await duty(on)).status, 422, on.slice(0, 10));
    assert.equal(server.desk.staffed(OPEN), 1, 'unchanged');
  });

  it('lists a message a customer left while nobody was on duty, marked as such', async () => {
    assert.equal((await duty('0')).status, 303);
    const { client } = await ChatClient.open(server.url, { lang: 'zh' });
    await client.reply();
    client.send({ type: 'message', id: 'form-1', text: '发票开错了，请联系我', payload: 'leave_message', contact: '13812345678' });
    await client.next((f) => f.type === 'status' && f.status === 'message');
    client.close();
    const html = await view();
    assert.match(html, /message left/);
    assert.match(html, /138\*\*\*\*5678/);
    assert.doesNotMatch(html, /13812345678/);
  });
});
