import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, TEST_IDENTITY_SECRET, testConfig, testServer } from '../../../helpers/chat-server.js';
import { fakeSlack, SIGNING_SECRET, SLACK, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');
const ADMIN_TOKEN = 'admin-token-0123456789abcdef-0123456789';

/** The customer's details as they typed them, in the forms issue 12 found getting through, read back the way a person would. */
const LEAKS = ['13987651234', '139.8765.1234', '98765432', '4111.1111.1111.1111', '1111.1111.1111', '一三九八七六五四三二一', 'wang.fang@'];

function assertMasked(what: string, text: string): void {
  const read = text.normalize('NFKC').toLowerCase();
  for (const leak of LEAKS) assert.ok(!read.includes(leak), `${what} shows ${leak}: ${text}`);
}

describe('personal data typed in full-width digits, dotted groups, Chinese numerals or a full-width e-mail reaches Slack and the admin pages masked', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  let customer: ChatClient;

  const posts = (): Recorded[] => slack.calls.filter((c) => c.method === 'chat.postMessage');

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/`, TACT_ADMIN_TOKEN: ADMIN_TOKEN };
    server = await testServer(testConfig(resolve('knowledge-base'), env), { now: () => OPEN, slackPaceMs: 20 });
    // A host site that uses the customer's e-mail address as their display name.
    const id = 'cust-7';
    const hash = createHmac('sha256', TEST_IDENTITY_SECRET).update(id).digest('hex');
    customer = (await ChatClient.open(server.url, { lang: 'zh', identity: { id, name: 'ｗａｎｇ．ｆａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', hash } })).client;
    await customer.reply();
  });
  after(async () => {
    customer?.close();
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  it('masks the handoff post, its transcript and the messages that follow in the thread', async () => {
    await customer.say('我要转人工，我的手机号是１３９８７６５１２３４');
    await customer.next((f) => f.type === 'status' && f.status === 'queued');
    const card = await until('the handoff post', () => posts().find((c) => Array.isArray(c.body['blocks'])));
    assert.match(JSON.stringify(card.body), /139\*\*\*\*1234/);
    await until('the transcript in the thread', () => posts().find((c) => c.body['thread_ts'] !== undefined && /139\*\*\*\*1234/.test(String(c.body['text']))));

    await customer.say('另一个号码 139.8765.1234，也可以打一三九八七六五四三二一，退款到卡号 4111.1111.1111.1111');
    const relayed = await until('the message in the thread', () => posts().find((c) => /另一个号码/.test(String(c.body['text']))));
    assert.match(String(relayed.body['text']), /另一个号码 139\*\*\*\*1234，也可以打139\*\*\*\*4321，退款到卡号 \*\*\*\* 1111/);
    // That message gets no live suggestion (the bot would only ask which question was meant); a complaint gets the standard's, restating it.
    await customer.say('我要投诉，你们把我的电话 139.8765.1234 泄露给了骚扰电话');
    const live = await until('the live suggestion', () => posts().find((c) => JSON.stringify(c.body['blocks'] ?? '').includes('tact_send_live')));
    assert.match(JSON.stringify(live.body), /139\*\*\*\*1234 泄露/);

    for (const call of slack.calls) assertMasked(`Slack's ${call.method}`, JSON.stringify(call.body));
  });

  it('masks the admin conversations page: the customer, the summary and the transcript', async () => {
    const res = await fetch(`${server.url}/admin/conversations`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /139\*\*\*\*1234/);
    assert.match(page, /139\*\*\*\*4321/);
    assert.match(page, /\*\*\*\* 1111/);
    assert.match(page, /w\*\*\*@example\.com/);
    assertMasked('The admin conversations page', page);
  });
});
