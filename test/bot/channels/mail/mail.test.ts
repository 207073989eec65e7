import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type { RunningServer } from '../../../../src/bot/server.js';
import type { StoredEvent } from '../../../../src/bot/store/store.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { captureSmtp, type CapturedSmtp } from '../../../helpers/smtp.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const OPEN = new Date('2026-11-27T02:00:00Z');
const CUSTOMER = 'wang.fang@example.com';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const address = probe.address();
  await new Promise((ok) => probe.close(ok));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('e-mail to a customer who left, and their replies back into the chat (real SMTP in this process)', function () {
  this.timeout(30_000);
  let relay: CapturedSmtp;
  let server: RunningServer;
  let inboundPort: number;
  let clock = OPEN;
  const clients: ChatClient[] = [];

  before(async () => {
    relay = await captureSmtp();
    inboundPort = await freePort();
    const config = testConfig(resolve('knowledge-base'), { TACT_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, TACT_MAIL_FROM: 'Tact Shop <service@shop.test>', TACT_MAIL_REPLY_TO: 'chat@reply.shop.test', TACT_SMTP_INBOUND_PORT: String(inboundPort) });
    server = await testServer(config, { now: () => clock, schedulerTickMs: 0, onDuty: [] });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    await relay.close();
    cleanTempDirs();
  });

  const replyBy = (to: string, text: string, messageId?: string): Promise<unknown> =>
    nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true }).sendMail({ from: CUSTOMER, to, subject: 'Re: reply', text, ...(messageId ? { messageId } : {}) });
  const customerSaid = async (session: string): Promise<string[]> => (await server.store.read(session)).flatMap((e: StoredEvent) => (e.kind === 'message' && e.from === 'customer' ? [e.text] : []));

  /** A customer who leaves a message with their e-mail address (consent given in the form), then closes the page. */
  async function leftWithEmail(contact: string | null = CUSTOMER): Promise<{ session: string; token: string }> {
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    clients.push(client);
    await client.reply();
    client.send({ type: 'message', id: `form-${Date.now()}`, text: '快递还没到，请帮我查一下', payload: 'leave_message', ...(contact ? { contact } : {}) });
    await client.reply();
    client.close();
    return { session: welcome.session.split('.')[0] as string, token: welcome.session };
  }

  it("mails an agent's reply to a customer who left, and takes their e-mailed answer back into the conversation, once", async () => {
    const { session } = await leftWithEmail();
    await server.desk.claim(session, '小林');
    await server.desk.reply(session, '小林', '您好，您的快递明天送到。');
    clock = new Date(clock.getTime() + 2 * 60_000);
    assert.equal(await server.scheduler.tick(), 1);
    const mail = relay.sent.at(-1) as ParsedMail;
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', CUSTOMER);
    assert.match(mail.subject ?? '', /Tact 商城客服给您回复了/);
    assert.match(mail.text ?? '', /小林: 您好，您的快递明天送到。/);
    const replyTo = mail.replyTo && !Array.isArray(mail.replyTo) ? (mail.replyTo.value[0]?.address ?? '') : '';
    assert.match(replyTo, /^chat\+[0-9a-f]{52}@reply\.shop\.test$/);
    const sentEvent = (await server.store.read(session)).find((e) => e.kind === 'mail');
    assert.ok(sentEvent?.kind === 'mail' && !sentEvent.to.includes('wang.fang'), 'the conversation records the e-mail, the address masked');

    await replyBy(replyTo, '好的，谢谢！\n\n在 2026年11月27日 Tact 商城客服 写道：\n> 您好，您的快递明天送到。', '<reply-1@example.com>');
    await until('the reply is in the conversation', async () => (await customerSaid(session)).includes('好的，谢谢！'));
    await replyBy(replyTo, '好的，谢谢！', '<reply-1@example.com>');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await customerSaid(session)).filter((t) => t === '好的，谢谢！').length, 1, 'the same e-mail twice is one message');
  });

  it('refuses replies to an address it did not give out: forged, tampered, bare or on another domain', async () => {
    const { session } = await leftWithEmail();
    await server.desk.claim(session, '小林');
    await server.desk.reply(session, '小林', '请问订单号是多少？');
    clock = new Date(clock.getTime() + 2 * 60_000);
    await server.scheduler.tick();
    const good = (relay.sent.at(-1)?.replyTo?.value[0]?.address ?? '') as string;
    // The MAC's last digit changed (to 1 when it is 0, else to 0), so the address always differs from the good one.
    const tampered = good.replace(/([0-9a-f])@/, (_m, d: string) => `${d === '0' ? '1' : '0'}@`);
    assert.notEqual(tampered, good);
    const otherSession = good.replace(/\+([0-9a-f])/, (_m, d: string) => `+${d === '0' ? '1' : '0'}`);
    for (const to of [tampered, otherSession, 'chat@reply.shop.test', good.replace('reply.shop.test', 'evil.test')]) {
      await assert.rejects(replyBy(to, 'let me in'), /550/, to);
    }
    assert.deepEqual(await customerSaid(session), ['快递还没到，请帮我查一下']);
  });

  it('refuses a reply over 1 MB with 552, and keeps nothing of a reply with no words of its own', async () => {
    const { session } = await leftWithEmail();
    await server.desk.claim(session, '小林');
    await server.desk.reply(session, '小林', '请问还有什么问题吗？');
    clock = new Date(clock.getTime() + 2 * 60_000);
    await server.scheduler.tick();
    const replyTo = relay.sent.at(-1)?.replyTo?.value[0]?.address ?? '';
    await assert.rejects(replyBy(replyTo, 'x'.repeat(1_200_000)), /552/);
    await replyBy(replyTo, '> 请问还有什么问题吗？\n> 小林');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await customerSaid(session), ['快递还没到，请帮我查一下']);
  });

  it('mails nothing to a customer who gave no address, or who came back to the chat in time', async () => {
    const before = relay.sent.length;
    const silent = await leftWithEmail(null);
    await server.desk.claim(silent.session, '小林');
    await server.desk.reply(silent.session, '小林', '您好！');
    const back = await leftWithEmail();
    await server.desk.claim(back.session, '小林');
    await server.desk.reply(back.session, '小林', '您好！');
    const { client } = await ChatClient.open(server.url, { token: back.token });
    clients.push(client);
    assert.equal(server.scheduler.pending().filter((t) => t.job.kind === 'mail').length, 2, 'both were away when the agent replied');
    clock = new Date(clock.getTime() + 2 * 60_000);
    await server.scheduler.tick();
    assert.equal(relay.sent.length, before);
  });

  it('mails the conversation to the address the customer asks for, times in the shop\'s zone, at most three times a day', async () => {
    clock = new Date('2026-12-01T02:00:00Z');
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    clients.push(client);
    assert.equal(welcome.transcripts, true, 'the widget is told it may offer the transcript');
    const session = welcome.session.split('.')[0] as string;
    await client.reply();
    await client.say('怎么退货');
    await client.reply();
    const ask = async (id: string, contact?: string): Promise<string> => {
      client.send({ type: 'message', id, text: '请把这段聊天记录发到我的邮箱。', payload: 'transcript', ...(contact ? { contact } : {}) });
      return (await client.reply()).text;
    };
    const before = relay.sent.length;
    assert.match(await ask('t-1', CUSTOMER), /正在发送到 w\*+@example\.com/);
    await until('the transcript is mailed', () => relay.sent.length > before);
    const mail = relay.sent.at(-1) as ParsedMail;
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', CUSTOMER);
    assert.match(mail.subject ?? '', /聊天记录/);
    const text = mail.text ?? '';
    assert.match(text, /Asia\/Shanghai/, 'the e-mail names the zone of its times');
    assert.match(text, /2026-12-01 10:00 您\n怎么退货/, 'the customer\'s words, at 02:00 UTC shown as 10:00 in Shanghai');
    assert.match(text, /智能客服\n[^\n]*退/, "the bot's answer");
    assert.doesNotMatch(text, /正在发送到/, 'the transcript ends where it was asked for');
    assert.match(mail.replyTo?.value[0]?.address ?? '', /^chat\+[0-9a-f]{52}@reply\.shop\.test$/, 'a reply comes back into the chat');

    assert.match(await ask('t-2', CUSTOMER), /正在发送/);
    assert.match(await ask('t-3', CUSTOMER), /正在发送/);
    assert.match(await ask('t-4', CUSTOMER), /已经发送过几次/, 'a fourth the same day is refused');
    assert.match(await ask('t-5'), /有效的邮箱地址/, 'a request without an address asks for one');
    const recorded = async (): Promise<number> => (await server.store.read(session)).filter((e) => e.kind === 'mail' && e.what === 'transcript').length;
    await until('three transcripts mailed and recorded', async () => relay.sent.length === before + 3 && (await recorded()) === 3);
  });

  it('mails the follow-up question to a customer who is not in the chat, and reopens the complaint on an e-mailed "否"', async () => {
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    clients.push(client);
    const session = welcome.session.split('.')[0] as string;
    await client.reply();
    for (const text of ['我要投诉，快递员态度太差了', '跳过', '快递员骂人', '希望道歉', '对', CUSTOMER]) {
      await client.say(text);
      await client.reply();
    }
    const ticket = (await server.store.read(session)).find((e) => e.kind === 'handoff');
    assert.ok(ticket?.kind === 'handoff' && ticket.details['contact'] === CUSTOMER);
    await server.desk.claim(session, '小林');
    await server.desk.resolve(session, '小林');
    client.close();
    await until('the customer has left', async () => !server.sessions.listening(session));
    clock = new Date(clock.getTime() + 72 * 3600_000);
    await server.scheduler.tick();
    await server.scheduler.tick();
    const mail = relay.sent.at(-1) as ParsedMail;
    assert.match(mail.subject ?? '', /回访/);
    assert.match(mail.text ?? '', new RegExp(`投诉单号 ${ticket.ticket}`));
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    await replyBy(replyTo, '否\n\n-----原始邮件-----\n您好，这里是回访');
    await until('the complaint is reopened', async () => (await server.store.read(session)).filter((e) => e.kind === 'handoff').length === 2);
    const answered = (await server.store.read(session)).find((e) => e.kind === 'followup' && e.op === 'answered');
    assert.ok(answered?.kind === 'followup' && answered.op === 'answered' && answered.solved === false);
  });
});
