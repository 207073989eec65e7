import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { buttonPress, fakeSlack, signedHeaders, SIGNING_SECRET, SLACK, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');
const FOLLOW_UP_MS = 72 * 3600_000;

describe('promises kept for later reach the agents in Slack, with Slack on nock', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  let customer: ChatClient;
  let sessionId: string;
  let clock = OPEN;

  const threadPosts = (): string[] => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] !== undefined).map((c) => String(c.body['text']));
  async function press(actionId: string, user: string): Promise<void> {
    const body = buttonPress(actionId, user, sessionId);
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, 'application/x-www-form-urlencoded') });
    assert.equal(res.status, 200);
  }
  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    server = await testServer(testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` }), { now: () => clock, slackPaceMs: 20, schedulerTickMs: 0 });
    const opened = await ChatClient.open(server.url, { lang: 'zh' });
    customer = opened.client;
    sessionId = opened.welcome.session.split('.')[0] as string;
    await customer.reply();
  });
  after(async () => {
    customer?.close();
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  it('files a complaint with a phone number; the owner claims and resolves it; a low score becomes a task for the owner', async () => {
    for (const text of ['我要投诉，快递员态度太差了', '跳过', '快递员骂人', '希望道歉', '对', '我的电话 13812345678']) {
      await customer.say(text);
      await customer.repliesUntilQuiet();
    }
    await until('the handoff card', () => slack.calls.find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body['blocks'] ?? '').includes('tact_claim')));
    await press('tact_claim', 'U01LIN0001');
    await customer.next((f) => f.type === 'status' && f.status === 'agent');
    await press('tact_resolve', 'U01LIN0001');
    assert.match((await customer.reply()).text, /满意吗/);
    await customer.say('1', 'rating:1');
    await customer.reply();
    await customer.say('跳过');
    await customer.reply();
    const task = await until('the low-score task in the thread', () => threadPosts().find((t) => /Follow-up task/.test(t)));
    assert.match(task, /<@U01LIN0001>/, 'the owner is named');
  });

  it('tells the owner to call when the follow-up is due, and posts the answer when the customer says it is not solved', async () => {
    clock = new Date(OPEN.getTime() + FOLLOW_UP_MS);
    assert.equal(await server.scheduler.tick(), 1);
    const due = await until('the follow-up due in the thread', () => threadPosts().find((t) => /Follow-up \(回访\) due/.test(t)));
    assert.match(due, /<@U01LIN0001>, please call the customer/);
    assert.doesNotMatch(due, /13812345678/, 'no phone number in Slack');
    assert.match((await customer.reply()).text, /回访/);
    const cards = slack.calls.filter((c) => JSON.stringify(c.body['blocks'] ?? '').includes('tact_claim')).length;
    await customer.say('否', 'no');
    await until('the answer in the thread', () => threadPosts().find((t) => /is \*not\* resolved; the complaint is reopened/.test(t)));
    await until('a new card for the reopened complaint', () => slack.calls.filter((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body['blocks'] ?? '').includes('tact_claim')).length > cards);
  });

  it('reminds the supervisor at opening time of a message left out of hours that nobody has taken', async () => {
    // Saturday 23:30 in Shanghai: closed until 09:00.
    clock = new Date('2026-11-28T15:30:00Z');
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    const other = welcome.session.split('.')[0] as string;
    try {
      await client.reply();
      client.send({ type: 'message', id: 'form-1', text: '我的订单一直没发货，请尽快处理', payload: 'leave_message', contact: '13812345678' });
      assert.match((await client.reply()).text, /留言/);
      const task = server.scheduler.pending().find((t) => t.job.kind === 'callback' && t.job.sessionId === other);
      assert.equal(task?.due, '2026-11-29T01:00:00.000Z', 'due at 09:00 Shanghai, when the team is back');
      clock = new Date('2026-11-29T01:00:00Z');
      assert.equal(await server.scheduler.tick(), 1);
      const reminder = await until('the call-back reminder in the thread', () => threadPosts().find((t) => /We are open again/.test(t)));
      assert.match(reminder, /<@U01GENERAL1>/, "the team's supervisor is named");
      assert.doesNotMatch(reminder, /13812345678/);
    } finally {
      client.close();
    }
  });
});
