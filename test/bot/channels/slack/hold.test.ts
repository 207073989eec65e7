import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { buttonPress, fakeSlack, signedHeaders, SIGNING_SECRET, SLACK, threadMessage, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const OPEN = new Date('2026-11-27T02:00:00Z');

describe('tone coaching in hold mode (TACT_TONE_COACHING=hold)', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  let customer: ChatClient;

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    server = await testServer(testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/`, TACT_TONE_COACHING: 'hold' }), { now: () => OPEN, slackPaceMs: 20 });
  });
  after(async () => {
    customer?.close();
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  const post = (body: string, type: string): Promise<Response> => fetch(`${server.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, type) });

  it('holds a reply that breaks the tone rules until the agent sends it anyway, and sends a polite one at once', async () => {
    const opened = await ChatClient.open(server.url, { lang: 'zh' });
    customer = opened.client;
    const sessionId = opened.welcome.session.split('.')[0] as string;
    await customer.reply();
    await customer.say('转人工');
    await customer.next((f) => f.type === 'status' && f.status === 'queued');
    const thread = await until('the transcript', () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] !== undefined));
    const ts = String(thread.body['thread_ts']);
    let body = buttonPress('tact_claim', 'U1', sessionId);
    assert.equal((await post(body, 'application/x-www-form-urlencoded')).status, 200);
    await customer.next((f) => f.type === 'status' && f.status === 'agent');

    body = threadMessage('EvRude', 'C0SUPPORT', ts, 'U1', '不知道，你自己去查');
    assert.equal((await post(body, 'application/json')).status, 200);
    const held = await until('the held-reply note', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && JSON.stringify(c.body['blocks'] ?? '').includes('tact_send_held')));
    assert.match(String(held.body['text']), /held/);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!customer.frames.some((f) => f.type === 'message' && f.from === 'agent'), 'nothing sent yet');

    body = threadMessage('EvPolite', 'C0SUPPORT', ts, 'U1', '您好，非常抱歉让您久等了，我马上为您查询。');
    await post(body, 'application/json');
    assert.equal((await customer.reply()).text, '您好，非常抱歉让您久等了，我马上为您查询。');

    body = threadMessage('EvRude2', 'C0SUPPORT', ts, 'U1', '你自己去查');
    await post(body, 'application/json');
    await until('a second held note', () => slack.calls.filter((c) => c.method === 'chat.postEphemeral' && JSON.stringify(c.body['blocks'] ?? '').includes('tact_send_held')).length === 2);
    body = buttonPress('tact_send_held', 'U1', sessionId);
    assert.equal((await post(body, 'application/x-www-form-urlencoded')).status, 200);
    assert.equal((await customer.reply()).text, '你自己去查');
  });
});
