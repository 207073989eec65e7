import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type AbuseLimits } from '../../../src/bot/limits.js';
import type { RunningServer } from '../../../src/bot/server.js';
import type { AgentKey } from '../../../src/bot/pipeline/presence.js';
import { ChatClient, TEST_AGENT, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTestDatabases, createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedis, type TestRedis } from '../../helpers/redis.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const SECRET = 'i'.repeat(40);
const GIFT_CARDS = `category: shop
faqs:
  - id: gift-cards
    question: { zh: 你们卖礼品卡吗？, en: Do you sell gift cards? }
    alternates: [有没有购物卡, 礼品卡怎么买]
    answer:
      zh: 您好，礼品卡可以在“我的-礼品卡”页面购买。
      en: Gift cards are on the "Me - Gift cards" page.
`;
const until = async (what: string, test: () => boolean, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('several instances on PostgreSQL and Redis', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  const servers: RunningServer[] = [];
  beforeEach(() => {
    ahead = 0;
    redis = testRedis();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await redis.cleanup();
  });
  after(async () => {
    await cleanTestDatabases();
    cleanTempDirs();
  });

  /** One clock for every instance, which a test can move on. */
  let ahead = 0;
  const now = (): Date => new Date(Date.now() + ahead);
  const instances = async (n: number, limits?: AbuseLimits, onDuty?: (i: number) => AgentKey[]): Promise<RunningServer[]> => {
    const config = testConfig(shopKb(), { TACT_DATABASE_URL: await createTestDatabase(), TACT_SESSION_SECRET: SECRET, TACT_REDIS_URL: TEST_REDIS_URL, TACT_REDIS_PREFIX: redis.prefix });
    const started: RunningServer[] = [];
    for (let i = 0; i < n; i++) started.push(await testServer(config, { deskTickMs: 200, now, ...(limits ? { limits } : {}), ...(onDuty ? { onDuty: onDuty(i) } : {}) }));
    servers.push(...started);
    return started;
  };

  it("relays an agent acting through one instance to the customer on another, once, and the customer carries on from it after the first stops", async () => {
    const [a, b] = (await instances(2)) as [RunningServer, RunningServer];
    const customer = await ChatClient.open(a.url, { lang: 'zh' });
    await customer.client.say('转人工');
    await customer.client.next((f) => f.type === 'status' && f.status === 'queued');
    const id = (await a.store.unfinished()).find((c) => c.handoffAt !== null)?.id as string;
    assert.ok(id, 'the handoff is in the shared store');
    await until('B sees the customer waiting', () => b.desk.position(id) === 1);

    await b.desk.claim(id, 'Alice');
    await b.desk.reply(id, 'Alice', '您好，我是小艾，我来帮您看一下订单');
    const reply = await customer.client.next((f) => f.type === 'message' && f.from === 'agent');
    assert.equal(reply.type === 'message' && reply.text, '您好，我是小艾，我来帮您看一下订单');
    await new Promise((r) => setTimeout(r, 300));
    const agentLines = customer.client.frames.filter((f) => f.type === 'message' && f.from === 'agent');
    assert.equal(agentLines.length, 1, 'the reply reaches the customer once');
    assert.ok(customer.client.frames.some((f) => f.type === 'status' && f.status === 'agent'), 'the header shows the agent');
    await until('A no longer counts the customer as waiting', () => a.desk.position(id) === null);

    await a.close();
    servers.splice(servers.indexOf(a), 1);
    const back = await ChatClient.open(b.url, { token: customer.welcome.session, after: 0 });
    assert.equal(back.welcome.status, 'agent');
    assert.ok(back.welcome.history.some((m) => m.from === 'agent' && m.text.includes('小艾')));
    const seqs = back.welcome.history.map((m) => m.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), 'one history, in order');
    const ack = await back.client.say('订单号是 12345');
    assert.equal(ack.seq, Math.max(...seqs) + 1);
    customer.client.close();
    back.client.close();
  });

  it('queues a customer on one instance for an agent who is active only through another', async () => {
    const [, b] = (await instances(2, undefined, (i) => (i === 0 ? [TEST_AGENT] : []))) as [RunningServer, RunningServer];
    // b learns of the agent's activity when it next reloads presence (every 2 s).
    await until("the agent on duty on b", () => b.desk.staffed() === 1);
    const customer = await ChatClient.open(b.url, { lang: 'zh' });
    await customer.client.say('转人工');
    const status = await customer.client.next((f) => f.type === 'status');
    assert.equal(status.type === 'status' && status.status, 'queued', 'not "nobody can take the chat"');
    customer.client.close();
  });

  it('says queue reminders once, from the leader, whichever instance the customer is on', async () => {
    const all = await instances(3);
    const health = await Promise.all(all.map(async (s) => ((await (await fetch(`${s.url}/healthz`)).json()) as { cluster: { leader: boolean; redis: string } }).cluster));
    assert.equal(health.filter((c) => c.leader).length, 1, JSON.stringify(health));
    assert.ok(health.every((c) => c.redis === 'ok'));
    const notLeader = all[health.findIndex((c) => !c.leader)] as RunningServer;

    const customer = await ChatClient.open(notLeader.url, { lang: 'zh' });
    await customer.client.say('转人工');
    await customer.client.next((f) => f.type === 'status' && f.status === 'queued');
    const queuedAt = customer.client.frames.length;
    // Every instance has the customer in its desk (synced every 2 s); then the team's first-response time (1 min) passes.
    await until('every desk has the customer', () => all.every((s) => s.desk.waiting().length === 1));
    // …and the instance holding the socket has said so (it renews what it holds every 5 s).
    const id = all[0]?.desk.waiting()[0]?.sessionId as string;
    let online = false;
    const seen = setInterval(() => void redis.raw().zscore(`${redis.prefix}online`, id).then((v) => (online = v !== null)), 100);
    await until('the customer is known to be online', () => online, 8000).finally(() => clearInterval(seen));
    ahead += 61_000;
    await customer.client.next((f) => f.type === 'message' && f.from === 'bot', 5000);
    await new Promise((r) => setTimeout(r, 1500));
    const reminders = customer.client.frames.slice(queuedAt).filter((f) => f.type === 'message' && f.from === 'bot');
    assert.equal(reminders.length, 1, `one reminder, not one per instance: ${JSON.stringify(reminders)}`);
    customer.client.close();
  });

  it('counts the new chats one address opens across instances, not per instance', async () => {
    const [a, b] = (await instances(2, DEFAULT_LIMITS)) as [RunningServer, RunningServer];
    const burst = DEFAULT_LIMITS.newSessions.burst;
    const refused: number[] = [];
    for (let i = 0; i < burst + 4; i++) {
      const client = await ChatClient.connect((i % 2 === 0 ? a : b).url);
      client.send({ type: 'hello', lang: 'zh' });
      const first = await client.next((f) => f.type === 'welcome' || f.type === 'error');
      if (first.type === 'error') refused.push(i);
      client.close();
    }
    assert.equal(refused.length, 4, `the burst of ${burst} is shared by both instances: refused ${JSON.stringify(refused)}`);
  });

  it('loads a KB edit saved through one instance on the others, without a restart', async () => {
    const kbDir = shopKb();
    const config = testConfig(kbDir, { TACT_DATABASE_URL: await createTestDatabase(), TACT_SESSION_SECRET: SECRET, TACT_REDIS_URL: TEST_REDIS_URL, TACT_REDIS_PREFIX: redis.prefix });
    const editedOn = await testServer(config, { watchKb: true });
    // The other instance does not watch the folder itself: only the news from the first can reach it.
    const other = await testServer(config, { watchKb: false });
    servers.push(editedOn, other);
    const before = other.knowledge.current.kb.faqs.length;

    writeFileSync(join(kbDir, 'faqs', 'gift-cards.yaml'), GIFT_CARDS);

    await until('the other instance serves the edit', () => other.knowledge.current.kb.faqs.length === before + 1);
    assert.ok(other.knowledge.current.faqs.has('gift-cards'));
  });

  it('stops one instance with its turns finished: the customer reconnects to another and finds the answer there, once', async () => {
    const [a, b] = (await instances(2)) as [RunningServer, RunningServer];
    const customer = await ChatClient.open(a.url, { lang: 'zh' });
    customer.client.send({ type: 'message', id: 'asked-while-stopping', text: '下单后多久发货？' });
    await customer.client.next((f) => f.type === 'ack' && f.id === 'asked-while-stopping');
    // SIGTERM's path: the sockets are told to go elsewhere (1001), the turn in flight finishes, the store is closed.
    await a.close();
    servers.splice(servers.indexOf(a), 1);
    assert.equal((await customer.client.waitClose()).code, 1001);

    const back = await ChatClient.open(b.url, { token: customer.welcome.session, after: 0 });
    const asked = back.welcome.history.findIndex((m) => m.id === 'asked-while-stopping');
    assert.ok(asked >= 0, 'the question is there');
    // (The greeting may come after a question sent the instant the chat opened.)
    const answers = back.welcome.history.slice(asked + 1).filter((m) => m.from === 'bot' && /发货/.test(m.text));
    assert.equal(answers.length, 1, `answered once: ${JSON.stringify(back.welcome.history)}`);
    back.client.close();
  });

  it('asks its customers to reconnect once it hears the other instances again, so what it missed while cut off reaches them', async () => {
    const database = await createTestDatabase();
    const env = { TACT_DATABASE_URL: database, TACT_SESSION_SECRET: SECRET, TACT_REDIS_PREFIX: redis.prefix };
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) });
    try {
      const kb = shopKb();
      const cutOff = await testServer(testConfig(kb, { ...env, TACT_REDIS_URL: `redis://127.0.0.1:${proxy.port}` }));
      const other = await testServer(testConfig(kb, { ...env, TACT_REDIS_URL: TEST_REDIS_URL }));
      servers.push(cutOff, other);
      const customer = await ChatClient.open(cutOff.url, { lang: 'zh' });
      await customer.client.say('转人工');
      await customer.client.next((f) => f.type === 'status' && f.status === 'queued');
      const id = (await other.store.unfinished()).find((c) => c.handoffAt !== null)?.id as string;
      await until('the other instance sees the customer waiting', () => other.desk.position(id) === 1);

      await proxy.cut();
      await other.desk.claim(id, 'Alice');
      await other.desk.reply(id, 'Alice', '您好，我是 Alice，这条消息发出时两台服务器断开了');
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!customer.client.frames.some((f) => f.type === 'message' && f.from === 'agent'), 'not delivered live while cut off');
      const shown = Math.max(...customer.client.frames.flatMap((f) => (f.type === 'message' || f.type === 'ack' ? [f.seq] : [])));

      await proxy.restore();
      assert.equal((await customer.client.waitClose(10_000)).code, 1012, 'told to reconnect and catch up');
      const back = await ChatClient.open(cutOff.url, { token: customer.welcome.session, after: shown });
      assert.ok(back.welcome.history.some((m) => m.from === 'agent' && m.text.includes('两台服务器断开了')), JSON.stringify(back.welcome.history));
      assert.equal(back.welcome.status, 'agent');
      back.client.close();
    } finally {
      await proxy.close();
    }
  });
});
