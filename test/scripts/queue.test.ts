import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { RunningServer } from '../../src/bot/server.js';
import type { ServerFrame } from '../../src/bot/channels/web/protocol.js';
import { ChatClient, testConfig, testServer } from '../helpers/chat-server.js';
import { cleanTempDirs } from '../helpers/temp-kb.js';

const DEMO_KB = resolve('knowledge-base');
/** Friday 10:00 in Shanghai: within the demo KB's service hours. */
const OPEN = new Date('2026-11-27T02:00:00Z');

type Status = Extract<ServerFrame, { type: 'status' }>;

describe('the queue for a person keeps its promises', function () {
  this.timeout(30_000);
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];
  let clock = OPEN;

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    clock = OPEN;
  });
  after(() => cleanTempDirs());

  async function start(opts: Parameters<typeof testServer>[1] = {}, config = testConfig(DEMO_KB)): Promise<RunningServer> {
    const server = await testServer(config, { now: () => clock, ...opts });
    servers.push(server);
    return server;
  }

  async function open(server: RunningServer, hello: Record<string, unknown> = { lang: 'zh' }): Promise<{ client: ChatClient; session: string; token: string }> {
    const { client, welcome } = await ChatClient.open(server.url, hello);
    clients.push(client);
    await client.reply(); // the greeting
    return { client, session: welcome.session.split('.')[0] as string, token: welcome.session };
  }

  async function queued(server: RunningServer): Promise<{ client: ChatClient; session: string; token: string }> {
    const c = await open(server);
    await c.client.say('转人工');
    await c.client.next((f) => f.type === 'status' && f.status === 'queued');
    return c;
  }

  async function healthQueued(server: RunningServer): Promise<number> {
    return ((await (await fetch(`${server.url}/healthz`)).json()) as { queued: number }).queued;
  }

  describe('with nobody on duty', () => {
    it('tells the customer plainly, promises no wait, offers the message form and queues nobody', async () => {
      const server = await start({ onDuty: [] });
      const { client, session } = await open(server);
      await client.say('转人工');
      const said = await client.repliesUntilQuiet();
      const all = said.map((m) => m.text).join('\n');
      assert.match(all, /暂时没有同事在线/);
      assert.doesNotMatch(all, /预计等待|排在第|分钟内/, 'no wait is promised that nobody would keep');
      assert.deepEqual(said.at(-1)?.quickReplies?.map((q) => q.payload), ['leave_message']);
      assert.equal(server.desk.position(session), null);
      assert.equal(await healthQueued(server), 0);
      assert.equal(client.frames.some((f) => f.type === 'status' && f.status === 'queued'), false, 'the header never says queued');
    });

    it('files the message form as a ticket for the team, keeps a valid contact, and shows the agent reply on the next visit', async () => {
      const server = await start({ onDuty: [] });
      const { client, session, token } = await open(server);
      await client.say('转人工');
      await client.repliesUntilQuiet();
      client.send({ type: 'message', id: 'form-1', text: '我的订单 DD20261127001 一直没发货，请尽快处理', payload: 'leave_message', contact: '13812345678' });
      assert.deepEqual(await client.next((f) => f.type === 'status'), { type: 'status', status: 'message' });
      const confirmation = await client.reply();
      assert.match(confirmation.text, /留言已收到，单号 T\d{4}-[0-9A-Z]{5}/);
      assert.match(confirmation.text, /联系方式/);
      const events = await server.store.read(session);
      const ticket = events.find((e) => e.kind === 'handoff');
      assert.ok(ticket?.kind === 'handoff');
      assert.equal(ticket.via, 'message');
      assert.equal(ticket.team, 'general', 'a bare request for a person goes to the default team');
      assert.deepEqual(ticket.details, { what: '我的订单 DD20261127001 一直没发货，请尽快处理', contact: '13812345678' });
      assert.equal(await healthQueued(server), 0, 'a message is not a live request');
      client.close();

      await server.desk.claim(session, '小林');
      await server.desk.reply(session, '小林', '您好，您的订单今天已经发出，运单号稍后短信通知您。');
      const back = await ChatClient.open(server.url, { token, after: 0 });
      clients.push(back.client);
      assert.equal(back.welcome.status, 'agent');
      assert.equal(back.welcome.agent, '小林', 'the header names the agent at once');
      assert.ok(back.welcome.history.some((m) => m.from === 'agent' && /已经发出/.test(m.text)), 'the reply waits for the customer in the conversation');
    });

    it('leaves out contact details that are neither a phone number nor an e-mail address', async () => {
      const server = await start({ onDuty: [] });
      const { client, session } = await open(server);
      client.send({ type: 'message', id: 'form-2', text: 'The parcel never arrived', payload: 'leave_message', contact: 'call me later' });
      const confirmation = await client.reply();
      assert.match(confirmation.text, /reply will appear in this chat|留言已收到/);
      const ticket = (await server.store.read(session)).find((e) => e.kind === 'handoff');
      assert.ok(ticket?.kind === 'handoff');
      assert.deepEqual(ticket.details, { what: 'The parcel never arrived' });
    });

    it('files a complaint as a message for the team, promising no call within minutes', async () => {
      const server = await start({ onDuty: [] });
      const { client } = await open(server);
      await client.say('我要投诉，快递员态度太差了');
      await client.reply();
      await client.reply();
      await client.say('跳过');
      await client.reply();
      await client.say('快递员骂人');
      await client.reply();
      await client.say('希望道歉');
      await client.reply();
      await client.say('对');
      await client.reply();
      await client.say('不想留');
      const filed = (await client.repliesUntilQuiet()).map((m) => m.text).join('\n');
      assert.match(filed, /投诉已登记/);
      assert.match(filed, /暂时没有同事在线/);
      assert.doesNotMatch(filed, /1 分钟内与您联系/);
    });
  });

  describe('with an agent on duty', () => {
    it('states a wait computed from the place in the queue and the agents on duty, never two different waits', async () => {
      const server = await start({ onDuty: ['admin:one'] });
      const first = await open(server);
      await first.client.say('转人工');
      const firstSaid = await first.client.repliesUntilQuiet();
      assert.equal(firstSaid.filter((m) => /预计/.test(m.text)).length, 1, 'one notice of the wait');
      assert.match(firstSaid.map((m) => m.text).join(''), /排在第 1 位，预计等待约 1 分钟/);
      const second = await open(server);
      await second.client.say('转人工');
      assert.match((await second.client.repliesUntilQuiet()).map((m) => m.text).join(''), /排在第 2 位，预计等待约 2 分钟/, 'two customers for one agent: twice the wait');

      await server.desk.presence.declare('slack:U2', true, clock);
      const third = await open(server);
      await third.client.say('转人工');
      assert.match((await third.client.repliesUntilQuiet()).map((m) => m.text).join(''), /排在第 3 位，预计等待约 2 分钟/, 'two agents share the queue');
    });

    it('moves everyone behind up in the header when someone ahead leaves', async () => {
      const server = await start();
      const first = await queued(server);
      const second = await queued(server);
      assert.equal(server.desk.position(second.session), 2);
      await first.client.say('不用了');
      const moved = (await second.client.next((f) => f.type === 'status')) as Status;
      assert.deepEqual(moved, { type: 'status', status: 'queued', position: 1 });
    });

    it('keeps serving while the customer waits: an FAQ, how much longer, small talk', async () => {
      const server = await start();
      const { client } = await queued(server);
      await client.repliesUntilQuiet();
      await client.say('请问多久发货');
      const answer = await client.reply();
      assert.match(answer.text, /在您等待人工客服期间，先为您解答：/);
      assert.match(answer.text, /48 小时内发货/);
      await client.say('还要等多久？');
      assert.match((await client.reply()).text, /排在第 1 位，预计还需等待约 1 分钟/);
      await client.say('how much longer do I have to wait?');
      assert.match((await client.reply()).text, /number 1 in the queue/);
      await client.say('你好');
      assert.doesNotMatch((await client.reply()).text, /排在第/);
    });

    it('lets the customer cancel with "不用了": out of the queue, header back to the bot, not queued again after a restart', async () => {
      const config = testConfig(DEMO_KB);
      const server = await start({}, config);
      const { client, session } = await queued(server);
      assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^tact_queue_waiting 1$/m);
      await client.say('不用了');
      assert.match((await client.reply()).text, /已为您取消人工客服的排队/);
      assert.deepEqual(await client.next((f) => f.type === 'status' && f.status === 'bot'), { type: 'status', status: 'bot' });
      assert.equal(await healthQueued(server), 0);
      assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^tact_queue_waiting 0$/m);
      await server.close();
      servers.splice(servers.indexOf(server), 1);
      const again = await start({}, config);
      assert.equal(again.desk.position(session), null, 'a cancelled request stays cancelled');
      assert.equal(await healthQueued(again), 0);
    });

    it('clears the queue everywhere when the customer ends the chat, across a restart too', async () => {
      const config = testConfig(DEMO_KB);
      const server = await start({}, config);
      const { client, session } = await queued(server);
      client.send({ type: 'end' });
      assert.deepEqual(await client.next((f) => f.type === 'status' && f.status === 'bot'), { type: 'status', status: 'bot' });
      assert.match((await client.reply()).text, /满意/, 'then the survey');
      assert.equal(await healthQueued(server), 0);
      await server.close();
      servers.splice(servers.indexOf(server), 1);
      const again = await start({}, config);
      assert.equal(again.desk.position(session), null);
      assert.equal(await healthQueued(again), 0);
    });

    it('shows the place in the queue at once after a reload', async () => {
      const server = await start();
      await queued(server);
      const { token } = await queued(server);
      const reloaded = await ChatClient.open(server.url, { token, after: 0 });
      clients.push(reloaded.client);
      assert.equal(reloaded.welcome.status, 'queued');
      assert.equal(reloaded.welcome.position, 2);
    });

    it('tells waiting customers once when the last agent goes off duty, and offers the message form', async () => {
      const server = await start({ onDuty: [] });
      await server.desk.presence.declare('admin:desk', true, clock);
      const { client } = await queued(server);
      await client.repliesUntilQuiet();
      await server.desk.tick(clock.getTime());
      await server.desk.presence.declare('admin:desk', false, clock);
      await server.desk.tick(clock.getTime() + 1000);
      await server.desk.tick(clock.getTime() + 2000);
      const said = await client.repliesUntilQuiet();
      assert.equal(said.length, 1, 'one notice per change');
      assert.match(said[0]?.text ?? '', /都已暂时下线/);
      assert.deepEqual(said[0]?.quickReplies?.map((q) => q.payload), ['leave_message', 'cancel_wait']);
    });
  });
});
