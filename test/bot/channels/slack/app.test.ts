import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { buttonPress, fakeSlack, signedHeaders, SIGNING_SECRET, SLACK, threadMessage, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs, tempDir } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');

describe('the Slack app, with Slack on nock and signed requests', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  let customer: ChatClient;
  let sessionId: string;
  let post: { channel: string; ts: string };
  let eventCounter = 0;
  let clock = OPEN;
  let kbDir: string;

  const posts = (): Recorded[] => slack.calls.filter((c) => c.method === 'chat.postMessage');
  async function toSlackEndpoint(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${server.url}/slack/events`, { method: 'POST', body, headers });
  }
  async function press(actionId: string, user: string, session = sessionId): Promise<Response> {
    const body = buttonPress(actionId, user, session);
    return toSlackEndpoint(body, signedHeaders(body, 'application/x-www-form-urlencoded'));
  }
  async function threadReply(user: string, text: string, opts: { eventId?: string; botId?: string; retries?: number } = {}): Promise<void> {
    const body = threadMessage(opts.eventId ?? `Ev${++eventCounter}`, post.channel, post.ts, user, text, opts.botId);
    for (let i = 0; i <= (opts.retries ?? 0); i++) {
      const res = await toSlackEndpoint(body, { ...signedHeaders(body, 'application/json'), ...(i > 0 ? { 'x-slack-retry-num': String(i), 'x-slack-retry-reason': 'http_timeout' } : {}) });
      assert.equal(res.status, 200);
    }
  }

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    kbDir = tempDir();
    cpSync(resolve('knowledge-base'), kbDir, { recursive: true });
    server = await testServer(testConfig(kbDir, { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` }), { now: () => clock, slackPaceMs: 20 });
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

  it('posts a handoff to the escalation channel with the suggestion and escalation path, personal data masked, and the transcript in its thread', async () => {
    await customer.say('我要转人工，我的手机号是13812345678');
    await customer.next((f) => f.type === 'status' && f.status === 'queued');
    const handoff = await until('the handoff post', () => posts().find((c) => Array.isArray(c.body['blocks'])));
    const card = JSON.stringify(handoff.body['blocks']);
    assert.match(card, /138\*\*\*\*5678/);
    assert.doesNotMatch(card, /13812345678/);
    assert.match(card, /tact_claim/);
    assert.match(card, /Tact 商城人工客服/, 'the suggested reply in the standard phrasing');
    assert.match(card, /<@U/, 'the supervisor is named');
    assert.match(String(handoff.body['channel']), /^#cs-/, "the team's channel from escalation.yaml");
    const transcript = await until('the transcript in the thread', () => posts().find((c) => c.body['thread_ts'] !== undefined));
    assert.match(String(transcript.body['text']), /138\*\*\*\*5678/);
    post = { channel: 'C0SUPPORT', ts: String(transcript.body['thread_ts']) };
  });

  it('refuses a request without a valid Slack signature', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvForged', event: { type: 'message', channel: post.channel, user: 'U1', text: 'hi', ts: '1', thread_ts: post.ts } });
    const res = await toSlackEndpoint(body, signedHeaders(body, 'application/json', 'not-the-secret'));
    assert.equal(res.status, 401);
  });

  it('answers a signed but malformed or oversized request with an error, and goes on working', async () => {
    const garbage = '{"type": "event_callback", "event": ';
    const res = await toSlackEndpoint(garbage, signedHeaders(garbage, 'application/json'));
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    const junk = 'payload=%7Bnot-json';
    assert.ok((await toSlackEndpoint(junk, signedHeaders(junk, 'application/x-www-form-urlencoded'))).status >= 400);
    const huge = JSON.stringify({ type: 'event_callback', event_id: 'EvHuge', event: { type: 'message', text: 'x'.repeat(1024 * 1024) } });
    // Refused unread: a 413, or the connection closed before the client finished sending. Its own connection, not the shared pool's.
    const refused = await new Promise<number | string>((done) => {
      const req = request(`${server.url}/slack/events`, { method: 'POST', agent: false, headers: signedHeaders(huge, 'application/json') }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', () => done('connection closed'));
      req.end(huge);
    });
    assert.ok(refused === 413 || refused === 'connection closed', String(refused));
    const unknown = buttonPress('tact_claim', 'U9', 'no-such-session');
    assert.equal((await toSlackEndpoint(unknown, signedHeaders(unknown, 'application/x-www-form-urlencoded'))).status, 200);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
  });

  it('lets an agent claim the conversation; the customer hears who joined', async () => {
    assert.equal((await press('tact_claim', 'U1')).status, 200);
    assert.match((await customer.reply()).text, /客服小林已接入/);
    await until('the card updated as claimed', () => slack.calls.find((c) => c.method === 'chat.update' && /claimed|U1/.test(JSON.stringify(c.body))));
  });

  it("refuses a second agent's claim on the conversation: the customer hears of no second agent, and the card keeps its owner", async () => {
    const calls = slack.calls.length;
    assert.equal((await press('tact_claim', 'U2')).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(customer.frames.filter((f) => f.type === 'message' && /已接入/.test(f.text)).length, 1);
    assert.deepEqual(slack.calls.slice(calls).filter((c) => c.method.startsWith('chat.')).map((c) => c.method), [], 'no confirmation, no card update');
  });

  it("relays the owner's thread replies to the customer once, even when Slack delivers the event four times", async () => {
    await threadReply('U1', '您好，我是小林，退货说明见 <https://shop.example/returns|退货页面> &amp; 售后政策。', { eventId: 'EvDup', retries: 3 });
    const reply = await customer.reply();
    assert.deepEqual([reply.from, reply.agent, reply.text], ['agent', '小林', '您好，我是小林，退货说明见 退货页面 (https://shop.example/returns) & 售后政策。']);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(customer.frames.filter((f) => f.type === 'message' && f.from === 'agent').length, 1);
  });

  it('coaches an agent privately when a reply breaks the tone rules, after sending it', async () => {
    await threadReply('U1', '不知道，你自己去查');
    assert.match((await customer.reply()).text, /不知道/);
    const note = await until('the coaching ephemeral', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && /Tone check/.test(String(c.body['text']))));
    assert.equal(note.body['user'], 'U1');
    assert.match(String(note.body['text']), /您/);
  });

  it('opens "Edit and send" with the suggestion, and sends what the agent wrote', async () => {
    assert.equal((await press('tact_edit_send', 'U1')).status, 200);
    const opened = await until('the modal', () => slack.calls.find((c) => c.method === 'views.open'));
    const view = JSON.parse(String(opened.body['view'])) as { private_metadata: string; blocks: { element: { initial_value: string } }[] };
    assert.equal(view.private_metadata, sessionId);
    assert.match(view.blocks[0]?.element.initial_value ?? '', /Tact 商城人工客服/);
    const payload = { type: 'view_submission', user: { id: 'U1' }, api_app_id: 'A1', token: 't', team: { id: 'T1' }, trigger_id: 'tr', view: { id: 'V1', type: 'modal', callback_id: 'tact_edit_send_modal', private_metadata: sessionId, state: { values: { reply: { text: { type: 'plain_text_input', value: '您好，已为您加急处理。' } } } } } };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    assert.equal((await toSlackEndpoint(body, signedHeaders(body, 'application/x-www-form-urlencoded'))).status, 200);
    assert.equal((await customer.reply()).text, '您好，已为您加急处理。');
  });

  it("keeps other people's thread replies and bot messages in Slack", async () => {
    const before = customer.frames.length;
    await threadReply('U2', '这个客户上周也来问过');
    await threadReply('U1', 'bot echo', { botId: 'B1' });
    await until('the internal-note ephemeral', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.body['user'] === 'U2'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(customer.frames.slice(before).filter((f) => f.type === 'message').length, 0);
  });

  it("brings the customer's messages into the thread, escaped and masked", async () => {
    await customer.say('<!channel> 我的邮箱 a.b@example.com');
    const relayed = await until('the customer message in the thread', () => posts().find((c) => /Customer/.test(String(c.body['text'])) && /channel/.test(String(c.body['text']))));
    const text = String(relayed.body['text']);
    assert.match(text, /&lt;!channel&gt;/);
    assert.doesNotMatch(text, /a\.b@example\.com/);
  });

  it("offers a fresh suggestion for the customer's new message, sent with one press", async () => {
    await customer.say('请问多久发货？');
    // The FAQ's answer, as the KB knows this one.
    await until('the live suggestion', () => posts().find((c) => JSON.stringify(c.body['blocks'] ?? '').includes('tact_send_live') && /48 小时内发货/.test(String(c.body['text']))));
    assert.equal((await press('tact_send_live', 'U1')).status, 200);
    const sent = await customer.reply();
    assert.equal(sent.from, 'agent');
    assert.match(sent.text, /48 小时内发货/);
  });

  it('saves an agent\'s reply as a new FAQ from the "Save as FAQ" shortcut, prefilled with the customer\'s question', async () => {
    await customer.say('你们的礼品卡在哪里买？我的手机13812345678');
    await until('the question in the thread', () => posts().find((c) => /礼品卡在哪里买/.test(String(c.body['text']))));
    const shortcut = { type: 'message_action', callback_id: 'tact_save_faq', trigger_id: 'tr2', token: 't', api_app_id: 'A1', team: { id: 'T1' }, user: { id: 'U1', name: 'lin' }, channel: { id: post.channel, name: 'cs' }, response_url: `${SLACK}/respond`, message_ts: '1', message: { type: 'message', user: 'U1', text: '您好，礼品卡可以在 App 的“我的-礼品卡”页面购买 &amp; 赠送。', ts: '1700009999.000100', thread_ts: post.ts } };
    let body = `payload=${encodeURIComponent(JSON.stringify(shortcut))}`;
    assert.equal((await toSlackEndpoint(body, signedHeaders(body, 'application/x-www-form-urlencoded'))).status, 200);
    const opened = await until('the Save-as-FAQ modal', () => slack.calls.find((c) => c.method === 'views.open' && /tact_save_faq_modal/.test(String(c.body['view']))));
    const view = JSON.parse(String(opened.body['view'])) as { private_metadata: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    const initial = (block: string): string => view.blocks.find((b) => b.block_id === block)?.element.initial_value ?? '';
    assert.match(initial('question'), /礼品卡在哪里买/);
    assert.match(initial('question'), /138\*\*\*\*5678/, 'masked before it can reach the KB');
    assert.equal(initial('answer'), '您好，礼品卡可以在 App 的“我的-礼品卡”页面购买 & 赠送。');

    const submit = (values: Record<string, unknown>): Promise<Response> => {
      const payload = { type: 'view_submission', user: { id: 'U1' }, api_app_id: 'A1', token: 't', team: { id: 'T1' }, trigger_id: 'tr3', view: { id: 'V2', type: 'modal', callback_id: 'tact_save_faq_modal', private_metadata: view.private_metadata, state: { values } } };
      body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return toSlackEndpoint(body, signedHeaders(body, 'application/x-www-form-urlencoded'));
    };
    const fields = { question: { v: { type: 'plain_text_input', value: '你们的礼品卡在哪里买？' } }, answer: { v: { type: 'plain_text_input', value: '您好，礼品卡可以在 App 的“我的-礼品卡”页面购买。' } }, target: { v: { type: 'static_select', selected_option: { value: '__new__' } } }, category: { v: { type: 'static_select', selected_option: { value: 'orders' } } } };
    const refused = await submit({ ...fields, id: { v: { type: 'plain_text_input', value: '' } } });
    assert.deepEqual(((await refused.json()) as { response_action: string; errors: Record<string, string> }).response_action, 'errors');
    const reloaded = new Promise((done) => {
      const stop = server.knowledge.onReload((r) => {
        stop();
        done(r);
      });
    });
    assert.equal((await submit({ ...fields, id: { v: { type: 'plain_text_input', value: 'gift-card-buy' } } })).status, 200);
    await until('the confirmation in the thread', () => posts().find((c) => /saved this as a new FAQ `gift-card-buy`/.test(String(c.body['text']))));
    assert.match(readFileSync(join(kbDir, 'faqs', 'orders.yaml'), 'utf8'), /id: gift-card-buy/);
    assert.match(readFileSync(join(kbDir, 'audit.jsonl'), 'utf8'), /"who":"slack:U1","action":"add","faq":"gift-card-buy"/);
    await reloaded;
    assert.ok(server.knowledge.current.faqs.has('gift-card-buy'), 'live after the reload');
  });

  it('answers /tact suggest and /tact kb privately, for agents on the phone', async () => {
    const command = async (text: string): Promise<string> => {
      const body = new URLSearchParams({ command: '/tact', text, user_id: 'U1', user_name: 'lin', channel_id: 'C0SUPPORT', team_id: 'T1', response_url: `${SLACK}/respond`, trigger_id: 'tr', token: 't', api_app_id: 'A1' }).toString();
      const res = await toSlackEndpoint(body, signedHeaders(body, 'application/x-www-form-urlencoded'));
      assert.equal(res.status, 200);
      const reply = (await res.json()) as { response_type: string; text: string };
      assert.equal(reply.response_type, 'ephemeral');
      return reply.text;
    };
    const suggestion = await command('suggest 我要投诉，快递员把包裹扔在门口，电话13812345678');
    assert.match(suggestion, /Suggested reply/);
    assert.match(suggestion, /Escalation path/);
    assert.doesNotMatch(suggestion, /13812345678/);
    assert.match(await command('kb 怎么开发票'), /发票/);
    assert.match(await command('nonsense'), /Usage/);
  });

  it('pings the supervisor when nobody claims a handoff in time, and the owner when they do not answer', async () => {
    const other = await ChatClient.open(server.url, { lang: 'zh' });
    const otherId = other.welcome.session.split('.')[0] as string;
    await other.client.reply();
    await other.client.say('转人工');
    await other.client.next((f) => f.type === 'status' && f.status === 'queued');
    const otherPost = await until('the second handoff post', () => posts().find((c) => Array.isArray(c.body['blocks']) && JSON.stringify(c.body['blocks']).includes(otherId)));
    clock = new Date(OPEN.getTime() + 10 * 60_000);
    await server.slack?.tick(clock);
    const ping = await until('the supervisor ping', () => posts().find((c) => /still unclaimed past its first-response SLA/.test(String(c.body['text']))));
    assert.match(String(ping.body['text']), /<@U/);
    await server.slack?.tick(clock);
    assert.equal(posts().filter((c) => /still unclaimed/.test(String(c.body['text']))).length, 1, 'once');
    assert.ok(otherPost);
    assert.equal((await press('tact_claim', 'U2', otherId)).status, 200);
    await other.client.next((f) => f.type === 'status' && f.status === 'agent');
    clock = new Date(clock.getTime() + 10 * 60_000);
    await server.slack?.tick(clock);
    const reminder = await until('the owner reminder', () => posts().find((c) => /waiting for your first reply/.test(String(c.body['text']))));
    assert.match(String(reminder.body['text']), /<@U2>/);
    other.client.close();
  });

  it('returns the conversation to the bot, which answers again', async () => {
    assert.equal((await press('tact_return', 'U1')).status, 200);
    assert.match((await customer.reply()).text, /在线助手继续为您服务/);
    await until('the card shows it returned', () => slack.calls.find((c) => c.method === 'chat.update' && /[Rr]eturned/.test(JSON.stringify(c.body))));
    await customer.say('怎么开发票？');
    assert.equal((await customer.reply()).from, 'bot');
    await customer.say('转人工');
    await customer.next((f) => f.type === 'status' && f.status === 'queued');
    await until('a new handoff post for the same customer', () => posts().filter((c) => Array.isArray(c.body['blocks']) && JSON.stringify(c.body['blocks']).includes('tact_claim') && JSON.stringify(c.body['blocks']).includes(sessionId)).length >= 2);
    assert.equal((await press('tact_claim', 'U1')).status, 200);
    await customer.next((f) => f.type === 'status' && f.status === 'agent');
  });

  it('resolves the case: the customer gets the survey, and their score reaches the thread', async () => {
    assert.equal((await press('tact_resolve', 'U1')).status, 200);
    assert.match((await customer.reply()).text, /满意吗/);
    await customer.say('4', 'rating:4');
    await customer.reply();
    await customer.say('跳过');
    await until('the rating in the thread', () => posts().find((c) => /rated this conversation ★★★★☆ \(4\/5\)/.test(String(c.body['text']))));
  });

  it("shows the agent's queue and today's numbers on the Home tab", async () => {
    const body = JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'EvHome', event_time: 1, event: { type: 'app_home_opened', user: 'U2', channel: 'D1', tab: 'home' } });
    assert.equal((await toSlackEndpoint(body, signedHeaders(body, 'application/json'))).status, 200);
    const published = await until('the Home view', () => slack.calls.find((c) => c.method === 'views.publish'));
    const view = JSON.stringify(JSON.parse(String(published.body['view'])));
    assert.match(view, /Handoffs today\*\\n2/);
    assert.match(view, /CSAT today\*\\n4\.0 \/ 5 \(1 ratings\)/);
    assert.match(view, /Mine\* \(1\)/, 'U2 claimed the second customer');
  });
});
