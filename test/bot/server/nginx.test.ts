import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { DUTY_LOG } from '../../../src/bot/pipeline/presence.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { launchChromium } from '../../helpers/browser.js';
import { freePort, killed, serve, type ChildServer } from '../../helpers/child-server.js';
import { startNginx, type Nginx } from '../../helpers/nginx.js';
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

  before(async function () {
    browser = await launchChromium(this, 'the nginx tests');
    redis = testRedis();
  });
  after(async () => {
    await browser?.close();
    await nginx?.stop();
    await Promise.all(children.map(killed));
    await store?.close();
    await redis?.cleanup();
    await cleanTestDatabases();
    cleanTempDirs();
  });

  it('relays an agent on the other instance to the customer once, and after kill -9 the widget carries on through the survivor', async () => {
    const database = await createTestDatabase();
    store = await openPgStore(database);
    await store.append(DUTY_LOG, { kind: 'duty', at: new Date().toISOString(), agent: 'admin:desk', on: true });
    const ports = [await freePort(), await freePort()];
    const env = { TACT_KB_DIR: shopKb(), TACT_DATABASE_URL: database, TACT_SESSION_SECRET: SECRET, TACT_REDIS_URL: TEST_REDIS_URL, TACT_REDIS_PREFIX: redis.prefix, TACT_ADMIN_TOKEN: ADMIN, TACT_TRUST_PROXY: '1', TACT_DATA_DIR: '/nonexistent/tact-data' };
    const instances: ChildServer[] = [];
    for (const port of ports) {
      const server = await serve({ ...env, PORT: String(port) });
      children.push(server.process);
      assert.equal(server.exitCode, null, server.stderr);
      instances.push(server);
    }
    nginx = await startNginx(ports, await freePort());

    const page = await (await browser.newContext()).newPage();
    const chat = new WidgetPage(page);
    await page.goto(`${nginx.url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.type('转人工');
    await chat.waitForText(/第 1 位/, 'with the place in the queue');

    // Whichever instance nginx gave the customer, the agent works through the other one.
    const counts = await Promise.all(instances.map(connections));
    const holder = instances[counts.indexOf(1)] as ChildServer;
    const other = instances.find((s) => s !== holder) as ChildServer;
    assert.deepEqual([...counts].sort(), [0, 1], `one socket, on one instance: ${JSON.stringify(counts)}`);
    const id = (await store.unfinished()).find((c) => c.handoffAt !== null)?.id as string;
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
});
