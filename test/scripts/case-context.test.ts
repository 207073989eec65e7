import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../helpers/chat-server.js';
import { fakeSlack, SIGNING_SECRET, SLACK, type Recorded } from '../helpers/fake-slack.js';
import { cleanTempDirs } from '../helpers/temp-kb.js';
import { until } from '../helpers/until.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');
const ADMIN_TOKEN = 'admin-token-0123456789abcdef-0123456789';
const CLARIFY_PROMPT = /which of these did you mean|以下哪个问题/i;

describe("what agents are shown of a handed-off case, on Slack's card and the admin page", function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  const clients: ChatClient[] = [];

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/`, TACT_ADMIN_TOKEN: ADMIN_TOKEN };
    server = await testServer(testConfig(resolve('knowledge-base'), env), { now: () => OPEN, slackPaceMs: 5 });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  async function open(lang: 'zh' | 'en'): Promise<{ client: ChatClient; session: string }> {
    const { client, welcome } = await ChatClient.open(server.url, { lang });
    clients.push(client);
    await client.reply();
    return { client, session: welcome.session.split('.')[0] as string };
  }

  /** The texts of the session's handoff card on Slack: summary and fields, the suggested reply apart. */
  async function slackCard(session: string): Promise<{ card: string; suggested: string }> {
    const post = await until('the handoff card', () => slack.calls.find((c) => c.method === 'chat.postMessage' && Array.isArray(c.body['blocks']) && JSON.stringify(c.body['blocks']).includes(`"value":"${session}"`) && JSON.stringify(c.body['blocks']).includes('tact_claim')));
    const texts = (post.body['blocks'] as { text?: { text?: string }; fields?: { text: string }[] }[]).flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)]);
    const suggested = texts.find((t) => t.startsWith('*Suggested reply*')) ?? '';
    return { card: texts.filter((t) => t !== suggested).join('\n'), suggested };
  }

  /** The session's card on the admin conversations page, and its suggested reply. */
  async function adminCard(session: string): Promise<{ card: string; suggested: string }> {
    const page = await (await fetch(`${server.url}/admin/conversations`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const card = new RegExp(`<article class="card" id="c-${session}"[\\s\\S]*?</article>`).exec(page)?.[0] ?? '';
    assert.notEqual(card, '', 'the conversation is on the admin page');
    const suggested = /<pre class="answer suggestion">([\s\S]*?)<\/pre>/.exec(card)?.[1] ?? '';
    return { card: card.replace(/<div class="transcript"[\s\S]*?<\/div>/, ''), suggested };
  }

  it('suggests the standard reply restating the question after a clarification, never the clarify prompt', async () => {
    const { client, session } = await open('en');
    await client.say('shipping info');
    assert.match((await client.reply()).text, CLARIFY_PROMPT);
    await client.say('Talk to a person', 'human');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    for (const shown of [await slackCard(session), await adminCard(session)]) {
      assert.match(shown.card, /shipping info/, 'the summary is what the customer asked');
      assert.doesNotMatch(shown.suggested, CLARIFY_PROMPT);
      assert.match(shown.suggested, /this is the Tact Shop customer service team/);
      assert.match(shown.suggested, /the issue is: (&quot;|")shipping info/);
      assert.doesNotMatch(shown.card + shown.suggested, /Talk to a person/, 'the button press is not the problem');
    }
    server.desk.leave(session);
  });

  it("labels an English customer on a Chinese page English, and suggests the agent's reply in English", async () => {
    const { client, session } = await open('zh');
    await client.say('Hi, do you accept installment payments?');
    await client.reply();
    await client.say('转人工客服', 'human');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    const shown = await slackCard(session);
    assert.match(shown.card, /\*Language\*\nEnglish/);
    assert.match(shown.suggested, /this is the Tact Shop customer service team/);
    assert.match((await adminCard(session)).card, /anonymous visitor · English/);
    server.desk.leave(session);
  });

  it("shows a complaint's problem and order number, never the customer's refusal to leave contact details", async () => {
    const { client, session } = await open('zh');
    await client.say('我要投诉，快递员态度太差了');
    await client.reply();
    await client.reply();
    await client.say('订单号是DD20261127001');
    await client.reply();
    await client.say('包裹被扔在门口淋湿了，打电话也不接');
    await client.reply();
    await client.say('退款');
    await client.reply();
    await client.say('对的');
    await client.reply();
    await client.say('我不想留');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    for (const shown of [await slackCard(session), await adminCard(session)]) {
      assert.match(shown.card, /包裹被扔在门口淋湿了，打电话也不接 \/ 退款/);
      assert.match(shown.card, /DD20261127001/);
      assert.match(shown.suggested, /投诉处理专员/, "the standard's complaint reply");
      assert.match(shown.suggested, /您反映的问题是：包裹被扔在门口淋湿了/);
      assert.doesNotMatch(shown.card + shown.suggested, /我不想留/);
    }
    assert.match((await slackCard(session)).card, /\*Order\*\nDD20261127001/);
    server.desk.leave(session);
  });

  it('lists what the bot already answered, finds the order number, and masks personal data, leaving contact details out of the problem', async () => {
    const { client, session } = await open('zh');
    for (const text of ['请问多久发货', '退货运费谁出？', '我的包裹三天没动了，单号 DD20261127001，我电话13812345678', '13987651234，下午打给我']) {
      await client.say(text);
      await client.reply();
    }
    await client.say('转人工客服', 'human');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    const slackShown = await slackCard(session);
    assert.match(slackShown.card, /\*Already answered by the bot\*\n• 下单后多久发货？\n• 退货的运费由谁承担？/);
    assert.match(slackShown.card, /\*Order\*\nDD20261127001/);
    const adminShown = await adminCard(session);
    assert.match(adminShown.card, /<dt>Already answered by the bot<\/dt><dd><ul><li>下单后多久发货？<\/li><li>退货的运费由谁承担？<\/li>/);
    assert.match(adminShown.card, /<dt>Order<\/dt><dd>DD20261127001<\/dd>/);
    for (const shown of [slackShown, adminShown]) {
      assert.match(shown.card, /我的包裹三天没动了，单号 DD20261127001，我电话138\*\*\*\*5678/);
      assert.doesNotMatch(shown.card + shown.suggested, /13812345678|13987651234/);
      assert.doesNotMatch(shown.card + shown.suggested, /下午打给我/, 'contact details are not the problem');
      assert.doesNotMatch(shown.card + shown.suggested, /转人工客服/);
    }
    server.desk.leave(session);
  });

  it("asks the customer what the problem is when they asked for a person before saying, and posts no clarify prompt in the card's thread", async () => {
    const { client, session } = await open('zh');
    await client.say('转人工客服', 'human');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    for (const shown of [await slackCard(session), await adminCard(session)]) {
      assert.match(shown.suggested, /请问您遇到了什么问题/);
      assert.doesNotMatch(shown.suggested, /转人工/);
    }
    // A message the bot would only answer with "which of these did you mean?": no live suggestion; one it can answer: the answer.
    await client.say('另一个问题 shipping info');
    await until('the message in the thread', () => slack.calls.find((c) => String(c.body['text'] ?? '').includes('另一个问题')));
    await client.say('请问多久发货');
    const live = await until('the live suggestion', () => slack.calls.find((c) => JSON.stringify(c.body).includes('tact_send_live') && JSON.stringify(c.body).includes(session)));
    assert.match(String(live.body['text']), /发货时间/);
    assert.equal(slack.calls.filter((c) => JSON.stringify(c.body).includes('tact_send_live') && JSON.stringify(c.body).includes(session)).length, 1, 'none for the first message');
    server.desk.leave(session);
  });
});
