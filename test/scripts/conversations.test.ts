import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import type { RunningServer } from '../../src/bot/server.js';
import { ChatClient, TEST_IDENTITY_SECRET, testConfig, testServer } from '../helpers/chat-server.js';
import { cleanTempDirs } from '../helpers/temp-kb.js';

const DEMO_KB = resolve('knowledge-base');
/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');
/** Friday 23:30 in Shanghai: outside the demo KB's 09:00-22:00. */
const CLOSED = new Date('2026-11-27T15:30:00Z');

describe('conversation scripts over the chat socket', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let clock = OPEN;
  const clients: ChatClient[] = [];

  before(async () => {
    server = await testServer(testConfig(DEMO_KB), { now: () => clock });
  });
  beforeEach(() => {
    clock = OPEN;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  async function open(hello: Record<string, unknown> = { lang: 'zh' }): Promise<{ client: ChatClient; session: string }> {
    const { client, welcome } = await ChatClient.open(server.url, hello);
    clients.push(client);
    await client.reply(); // the greeting
    return { client, session: welcome.session.split('.')[0] as string };
  }

  it('greets a new customer with the greeting voice, in their language', async () => {
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'en' });
    clients.push(client);
    assert.equal(welcome.status, 'bot');
    assert.deepEqual(welcome.history, []);
    assert.match((await client.reply()).text, /welcome/i);
  });

  it('answers an FAQ in Chinese and in English, then asks whether there is anything else', async () => {
    const { client } = await open();
    await client.say('请问多久发货');
    const zh = await client.reply();
    assert.match(zh.text, /48 小时内发货/);
    assert.match(zh.text, /请问还有其他可以帮到您的吗/);
    await client.say('Do you accept installment payments?');
    assert.match((await client.reply()).text, /anything else/i);
  });

  it('offers the closest questions as buttons when unsure, and answers the one tapped', async () => {
    const { client } = await open({ lang: 'en' });
    // Ambiguous between the shipping FAQs ("How long does shipping take?" is now answered outright).
    await client.say('shipping info');
    const clarify = await client.reply();
    assert.match(clarify.text, /which of these did you mean/i);
    const choices = clarify.quickReplies ?? [];
    assert.ok(choices.length >= 2, 'at least two suggestions');
    // Not the first: the bot answers the one tapped, not its own best guess.
    const chosen = choices[1];
    assert.ok(chosen, 'a second suggestion');
    assert.match(chosen.payload ?? '', /^faq:/, 'each choice names its FAQ');
    await client.say(chosen.title, chosen.payload);
    const answer = await client.reply();
    assert.match(answer.text, /anything else/i);
    assert.equal(answer.quickReplies, undefined);
  });

  it('apologises when nothing fits and offers a person', async () => {
    const { client } = await open();
    await client.say('火星上有水吗');
    const none = await client.reply();
    assert.deepEqual(none.quickReplies, [{ title: '转人工客服', payload: 'human' }]);
  });

  it('hands a customer who asks for a person to the queue, with their place and expected wait', async () => {
    const first = await open();
    await first.client.say('转人工');
    assert.match((await first.client.reply()).text, /人工/);
    assert.match((await first.client.reply()).text, /排在第 1 位，预计等待约/);
    assert.deepEqual(await first.client.next((f) => f.type === 'status'), { type: 'status', status: 'queued', position: 1 });
    const second = await open();
    await second.client.say('转人工客服', 'human');
    await second.client.reply();
    assert.match((await second.client.reply()).text, /排在第 2 位/);
    server.desk.leave(first.session);
    server.desk.leave(second.session);
  });

  it('keeps a waiting customer informed, and answers "how long?" with their place in the queue', async () => {
    const { client, session } = await open();
    await client.say('转人工');
    await client.next((f) => f.type === 'status');
    await server.desk.tick(OPEN.getTime() + 10 * 60_000);
    assert.match((await client.reply()).text, /久等了.*第 1 位/);
    await client.say('我要找人工客服');
    assert.match((await client.reply()).text, /第 1 位/);
    server.desk.leave(session);
  });

  it('outside service hours says so, offers to leave a message with the opening time, and queues nobody', async () => {
    clock = CLOSED;
    const { client, session } = await open();
    await client.say('转人工');
    const after = await client.reply();
    assert.match(after.text, /不在人工服务时间内（服务时间：09:00-22:00）/, 'first thing said: no "connecting you now"');
    assert.match(after.text, /周六\s*09:00 上班后/);
    assert.deepEqual(after.quickReplies?.map((q) => q.payload), ['leave_message']);
    assert.equal(server.desk.position(session), null, 'nobody would serve the queue tonight');
  });

  it('takes a complaint: apology, order number, what happened, what they want, restatement, contact with consent, then who handles it and by when', async () => {
    const { client, session } = await open();
    await client.say('我要投诉，快递员态度太差了，把我的包裹扔在门口');
    assert.match((await client.reply()).text, /非常抱歉给您带来了不好的体验/);
    const askOrder = await client.reply();
    assert.match(askOrder.text, /订单号/);
    assert.deepEqual(askOrder.quickReplies, [{ title: '跳过', payload: 'skip' }]);
    await client.say('DD20261127001');
    assert.match((await client.reply()).text, /具体经过/);
    await client.say('快递员没打电话就把包裹扔在门口，还被雨淋湿了 {{vars.order}}');
    assert.match((await client.reply()).text, /希望我们怎样处理/);
    await client.say('希望补发并道歉，电话13812345678');
    const restate = await client.reply();
    assert.match(restate.text, /扔在门口/);
    assert.match(restate.text, /138\*\*\*\*5678/, 'personal data masked in the restatement');
    assert.match(restate.text, /\{\u200b\{vars\.order\}\u200b\}/, 'customer text is never read as a template');
    assert.deepEqual(restate.quickReplies?.map((q) => q.payload), ['yes', 'no']);
    await client.say('是的');
    assert.match((await client.reply()).text, /手机号或邮箱/);
    await client.say('跳过');
    assert.deepEqual(await client.next((f) => f.type === 'status'), { type: 'status', status: 'queued', position: 1 });
    const filed = await client.reply();
    assert.match(filed.text, /投诉单号为 T\d{4}-[0-9A-Z]{5}，由.+负责处理/);
    assert.match(filed.text, /72 小时内我们会回访/);
    const handoff = (await server.store.read(session)).find((e) => e.kind === 'handoff');
    assert.ok(handoff && handoff.kind === 'handoff');
    assert.equal(handoff.reason, 'complaint');
    assert.equal(handoff.details['order'], 'DD20261127001');
    assert.equal(handoff.details['contact'], '');
    assert.match(handoff.details['causes'] ?? '', /logistics/);
    server.desk.leave(session);
  });

  it('understands a complaint intake answered in free text: "不对，…" goes back to what happened, a refusal of contact is never kept, unclear contact details are asked once more', async () => {
    const { client, session } = await open();
    await client.say('我要投诉，快递员态度太差了');
    await client.reply();
    await client.reply();
    await client.say('不记得了');
    assert.match((await client.reply()).text, /具体经过/);
    await client.say('包裹被扔在门口淋湿了');
    await client.reply();
    await client.say('希望换货');
    await client.reply();
    await client.say('不对，我是要退款');
    assert.match((await client.reply()).text, /具体经过/, 'a free-text no goes back to what happened');
    await client.say('包裹被扔在门口淋湿了');
    await client.reply();
    await client.say('退款');
    await client.reply();
    await client.say('啊？什么意思');
    assert.match((await client.reply()).text, /退款/, 'neither yes nor no: the restatement is asked once more');
    await client.say('没错');
    assert.match((await client.reply()).text, /手机号或邮箱/);
    await client.say('下午打给我');
    assert.match((await client.reply()).text, /手机号或邮箱/, 'no phone number or e-mail in it: asked once more');
    await client.say('我不想留');
    assert.deepEqual(await client.next((f) => f.type === 'status'), { type: 'status', status: 'queued', position: 1 });
    await client.reply();
    const handoff = (await server.store.read(session)).find((e) => e.kind === 'handoff');
    assert.ok(handoff && handoff.kind === 'handoff');
    assert.equal(handoff.details['order'], '', 'not remembering the order number is not an order number');
    assert.equal(handoff.details['wanted'], '退款');
    assert.equal(handoff.details['contact'], '', 'a refusal is never kept as the contact details');
    server.desk.leave(session);
  });

  it('asks each complaint step in the language the customer answers in, and files it in that language', async () => {
    const { client, session } = await open();
    await client.say('我要投诉，快递员态度太差了');
    await client.reply();
    assert.match((await client.reply()).text, /订单号/);
    await client.say('DD20261127001');
    assert.match((await client.reply()).text, /具体经过/, 'an order number is no reason to change language');
    await client.say('The courier left my parcel outside in the rain and it got soaked');
    assert.deepEqual(await client.next((f) => f.type === 'lang'), { type: 'lang', lang: 'en' });
    const wanted = await client.reply();
    assert.match(wanted.text, /How would you like us to put this right/);
    await client.say('I would like a replacement please');
    const restate = await client.reply();
    assert.match(restate.text, /Is that correct/);
    assert.deepEqual(restate.quickReplies?.map((q) => q.title), ['Yes', 'No']);
    await client.say('yes');
    assert.match((await client.reply()).text, /phone number or email/);
    await client.say('skip');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    assert.match((await client.reply()).text, /Your complaint has been filed/);
    server.desk.leave(session);
  });

  it('runs the survey in the language the customer answers in', async () => {
    const { client } = await open();
    await client.say('请问多久发货');
    await client.reply();
    await client.say('好的，再见');
    assert.match((await client.reply()).text, /满意吗/);
    await client.say('5', 'rating:5');
    assert.match((await client.reply()).text, /意见或建议/, 'a tapped score says nothing about the language');
    await client.say('The delivery was fast, thank you');
    assert.match((await client.reply()).text, /goodbye/i);
  });

  it('lets an agent join, speak, step away and resolve; the customer then rates the service and hears the farewell', async () => {
    const { client, session } = await open();
    await client.say('转人工');
    await client.next((f) => f.type === 'status');
    await server.desk.claim(session, '小林');
    assert.match((await client.reply()).text, /客服小林已接入/);
    assert.deepEqual(await client.next((f) => f.type === 'status'), { type: 'status', status: 'agent', agent: '小林' });
    await client.say('我的快递到哪了');
    await server.desk.reply(session, '小林', '您好，我来帮您查一下');
    const fromAgent = await client.reply();
    assert.deepEqual([fromAgent.from, fromAgent.agent, fromAgent.text], ['agent', '小林', '您好，我来帮您查一下']);
    await server.desk.away(session, '小林');
    assert.match((await client.reply()).text, /小林暂时离开一下/);
    await server.desk.resolve(session, '小林');
    const survey = await client.reply();
    assert.match(survey.text, /满意吗/);
    assert.deepEqual(survey.quickReplies?.map((q) => q.title), ['1', '2', '3', '4', '5']);
    await client.say('5', 'rating:5');
    assert.match((await client.reply()).text, /意见或建议/);
    await client.say('小林很耐心');
    assert.match((await client.reply()).text, /再见/);
    const rating = (await server.store.read(session)).find((e) => e.kind === 'rating');
    assert.deepEqual(rating && rating.kind === 'rating' ? [rating.score, rating.comment] : null, [5, '小林很耐心']);
  });

  it('keeps the first agent when a second one tries to join, and lets no refused move reach the customer or the store', async () => {
    const { client, session } = await open();
    await client.say('转人工');
    await client.next((f) => f.type === 'status');
    await server.desk.claim(session, '小林');
    assert.match((await client.reply()).text, /客服小林已接入/);
    await client.next((f) => f.type === 'status' && f.status === 'agent');
    await server.desk.claim(session, '小王');
    await server.desk.back(session, '小林');
    await server.desk.away(session, '小王');
    await server.desk.reply(session, '小林', '您好，我来帮您查一下');
    const next = await client.reply();
    assert.deepEqual([next.from, next.agent], ['agent', '小林'], 'the second join, the "back" without "away" and the other agent\'s "away" said nothing');
    await server.desk.resolve(session, '小林');
    assert.match((await client.reply()).text, /满意吗/);
    await server.desk.resolve(session, '小林');
    const moves = (await server.store.read(session)).flatMap((e) => (e.kind === 'agent' ? [`${e.event}:${e.agent}`] : []));
    assert.deepEqual(moves, ['joined:小林', 'resolved:小林'], 'the second resolve changed nothing either');
  });

  it('stays quiet while an agent has the conversation, and answers again once the agent hands it back', async () => {
    const { client, session } = await open();
    await client.say('转人工');
    await client.next((f) => f.type === 'status');
    await server.desk.claim(session, 'Lin');
    await client.next((f) => f.type === 'status' && f.status === 'agent');
    await client.say('请问多久发货');
    await server.desk.returnToBot(session, 'Lin');
    const back = await client.reply();
    assert.match(back.text, /在线助手继续为您服务/, 'the first reply after the question is the hand-back, not an answer');
    await client.say('请问多久发货');
    assert.match((await client.reply()).text, /48 小时内发货/);
  });

  it('runs the survey when the customer says goodbye after being helped, and when they end the chat', async () => {
    const { client } = await open();
    await client.say('请问多久发货');
    await client.reply();
    await client.say('好的，再见');
    assert.match((await client.reply()).text, /满意吗/);
    await client.say('很好');
    assert.match((await client.reply()).text, /满意吗/, 'a non-score answer is asked once more');
    await client.say('4');
    await client.reply();
    await client.say('跳过');
    assert.match((await client.reply()).text, /再见/);
    const other = await open({ lang: 'en' });
    other.client.send({ type: 'end' });
    assert.match((await other.client.reply()).text, /How satisfied were you/);
  });

  it('addresses a customer by name only when the host site proves who they are', async () => {
    const hash = createHmac('sha256', TEST_IDENTITY_SECRET).update('cust-42').digest('hex');
    const verified = await ChatClient.open(server.url, { lang: 'zh', identity: { id: 'cust-42', name: '王芳', hash } });
    clients.push(verified.client);
    assert.match((await verified.client.reply()).text, /王芳/);
    const forged = await ChatClient.open(server.url, { lang: 'zh', identity: { id: 'cust-42', name: '王芳', hash: '0'.repeat(64) } });
    clients.push(forged.client);
    assert.doesNotMatch((await forged.client.reply()).text, /王芳/);
    forged.client.send({ type: 'identify', identity: { id: 'x', name: '李雷', hash: 'nope' } });
    assert.deepEqual(await forged.client.next((f) => f.type === 'identified'), { type: 'identified', verified: false });
  });
});
