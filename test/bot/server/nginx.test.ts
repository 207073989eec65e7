import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { DUTY_LOG } from '../../../src/bot/pipeline/presence.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { launchChromium } from '../../helpers/browser.js';
import { freePort, killed, serve, type ChildServer } from '../../helpers/child-server.js';
import { startNginx, type Nginx } from '../../helpers/nginx.js';
import { buttonPress, signedHeaders, SIGNING_SECRET, startFakeSlackServer, threadMessage, type Recorded } from '../../helpers/fake-slack.js';
import { cleanTestDatabases, createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedis, type TestRedis } from '../../helpers/redis.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';
import { WidgetPage } from '../../helpers/widget-page.js';

const SECRET = 'n'.repeat(40);
const ADMIN = 'a'.repeat(40);

interface Health {
  connections: number;
}
const connections = async (server: ChildServer): Promise<number> => ((await (await fetch(`${server.url}/healthz`)).json()) as Health).connections;

describe('two instances behind nginx, in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser;
  let nginx: Nginx | null = null;
  let redis: TestRedis;
  let store: Store | null = null;
  const children: ChildProcess[] = [];
  const stopAfter: { close(): Promise<void> }[] = [];

  before(async function () {
    browser = await launchChromium(this, 'the nginx tests');
    redis = testRedis();
  });
  afterEach(async () => {
    // The widget's socket first: nginx's graceful stop waits for open connections.
    await Promise.all(stopAfter.splice(0).map((s) => s.close()));
    await nginx?.stop();
    nginx = null;
    await Promise.all(children.splice(0).map(killed));
    await store?.close();
    store = null;
  });
  after(async () => {
    await browser?.close();
    await redis?.cleanup();
    await cleanTestDatabases();
    cleanTempDirs();
  });

  /** Two instances on one database and Redis behind nginx (the site as shipped), with `extra` in their environment. */
  async function cluster(extra: Readonly<Record<string, string>> = {}): Promise<{ instances: ChildServer[]; url: string }> {
    const database = await createTestDatabase();
    store = await openPgStore(database);
    await store.append(DUTY_LOG, { kind: 'duty', at: new Date().toISOString(), agent: 'admin:desk', on: true });
    const ports = [await freePort(), await freePort()];
    const env = { TACT_KB_DIR: shopKb(), TACT_DATABASE_URL: database, TACT_SESSION_SECRET: SECRET, TACT_REDIS_URL: TEST_REDIS_URL, TACT_REDIS_PREFIX: redis.prefix, TACT_ADMIN_TOKEN: ADMIN, TACT_TRUSTED_PROXIES: '127.0.0.1', TACT_DATA_DIR: '/nonexistent/tact-data', ...extra };
    const instances: ChildServer[] = [];
    for (const port of ports) {
      const server = await serve({ ...env, PORT: String(port) });
      children.push(server.process);
      assert.equal(server.exitCode, null, server.stderr);
      instances.push(server);
    }
    nginx = await startNginx(ports);
    return { instances, url: nginx.url };
  }

  /** The customer's widget through nginx, asking for a person; resolves with the instance holding its socket, the other one, and the conversation's id. */
  async function askForPerson(instances: readonly ChildServer[], url: string): Promise<{ chat: WidgetPage; holder: ChildServer; other: ChildServer; id: string }> {
    // nginx presents a self-signed certificate for 127.0.0.1.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    stopAfter.push(context);
    const page = await context.newPage();
    const chat = new WidgetPage(page);
    await page.goto(`${url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.type('转人工');
    await chat.waitForText(/第 1 位/, 'with the place in the queue');
    const counts = await Promise.all(instances.map(connections));
    assert.deepEqual([...counts].sort(), [0, 1], `one socket, on one instance: ${JSON.stringify(counts)}`);
    const holder = instances[counts.indexOf(1)] as ChildServer;
    const other = instances.find((s) => s !== holder) as ChildServer;
    const id = (await store!.unfinished()).find((c) => c.handoffAt !== null)?.id as string;
    return { chat, holder, other, id };
  }

  it('relays an agent on the other instance to the customer once, and after kill -9 the widget carries on through the survivor', async () => {
    const { instances, url } = await cluster();
    const { chat, holder, other, id } = await askForPerson(instances, url);

    // Whichever instance nginx gave the customer, the agent works through the other one.
    const reply = await fetch(`${other.url}/admin/conversations/${id}/reply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ agent: 'Alice', text: '您好，我是 Alice，马上为您查看订单' }).toString(),
      redirect: 'manual',
    });
    assert.equal(reply.status, 303, await reply.text());
    await chat.waitForText(/我是 Alice/, 'from the agent on the other instance');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await chat.texts()).filter((t) => t.includes('我是 Alice')).length, 1, 'shown once');

    await killed(holder.process);
    await chat.type('订单号是 12345');
    await chat.waitFor('the message to be stored through the surviving instance', async () => (await store!.read(id)).some((e) => e.kind === 'message' && e.text === '订单号是 12345'), 20_000);
    assert.equal(await connections(other), 1, 'the widget reconnected through nginx to the survivor');
    assert.equal((await chat.texts()).filter((t) => t.includes('我是 Alice')).length, 1, 'the history after the reconnect shows the reply once');
    assert.match(await chat.header(), /Alice/, 'the header still shows the agent');
  });

  it('posts one Slack card for a customer on one instance; the claim and the reply reach the other, Slack\'s retry the first, the customer sees it once; after kill -9 the next message reaches the thread', async () => {
    const slack = await startFakeSlackServer();
    stopAfter.push(slack);
    const { instances, url } = await cluster({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });
    const { chat, holder, other, id } = await askForPerson(instances, url);
    const posts = (): Recorded[] => slack.calls.filter((c) => c.method === 'chat.postMessage');
    await chat.waitFor('the card and its transcript in Slack', async () => posts().some((c) => c.body['thread_ts'] !== undefined), 20_000);
    assert.equal(posts().filter((c) => JSON.stringify(c.body['blocks'] ?? '').includes(id)).length, 1, 'one card, posted by one instance');
    const threadTs = String(posts().find((c) => c.body['thread_ts'] !== undefined)?.body['thread_ts']);

    const toSlackEndpoint = async (at: ChildServer, body: string, contentType: string, retry?: number): Promise<number> =>
      (await fetch(`${at.url}/slack/events`, { method: 'POST', body, headers: { ...signedHeaders(body, contentType), ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {}) } })).status;
    assert.equal(await toSlackEndpoint(other, buttonPress('tact_claim', 'U1', id), 'application/x-www-form-urlencoded'), 200);
    await chat.waitFor('the claim in the header', async () => /小林/.test(await chat.header()), 20_000);
    const reply = threadMessage('EvReply1', 'C0SUPPORT', threadTs, 'U1', '您好，我是小林，马上为您查看订单');
    assert.equal(await toSlackEndpoint(other, reply, 'application/json'), 200);
    assert.equal(await toSlackEndpoint(holder, reply, 'application/json', 1), 200);
    await chat.waitForText(/我是小林/, 'the agent\'s reply from Slack');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await chat.texts()).filter((t) => t.includes('我是小林')).length, 1, 'shown once, though Slack sent it to both instances');

    await killed(holder.process);
    await chat.type('订单号是 12345');
    await chat.waitFor('the message in the agent\'s thread, through the survivor', async () => posts().some((c) => c.body['thread_ts'] === threadTs && String(c.body['text'] ?? '').includes('12345')), 30_000);
    assert.equal(await connections(other), 1, 'the widget reconnected through nginx to the survivor');
    assert.equal((await chat.texts()).filter((t) => t.includes('我是小林')).length, 1, 'the history after the reconnect shows the reply once');
    assert.match(await chat.header(), /小林/, 'the header still shows the agent');
  });
});
