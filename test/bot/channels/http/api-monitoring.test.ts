import assert from 'node:assert/strict';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const API_TOKEN = 'api-token-0123456789abcdef-0123456789';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef-012345';

describe('/metrics and /healthz', function () {
  this.timeout(20_000);
  const servers: RunningServer[] = [];
  const start = async (env: Record<string, string>): Promise<RunningServer> => {
    const s = await testServer(testConfig(shopKb(), env), { watchKb: false });
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers.splice(0)) await s.close();
    cleanTempDirs();
  });

  it('stay open without TACT_METRICS_TOKEN, even when the API has a token: counts only, nothing about customers', async () => {
    const server = await start({ TACT_API_TOKEN: API_TOKEN });
    const metrics = await fetch(`${server.url}/metrics`);
    assert.equal(metrics.status, 200);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health['status'], 'ok');
    for (const value of Object.values(health)) assert.ok(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'object', 'plain values');
    assert.ok(!JSON.stringify(health).includes(API_TOKEN));
  });

  it('with TACT_METRICS_TOKEN, /metrics needs it as Bearer and /healthz shows only its status without it', async () => {
    const server = await start({ TACT_API_TOKEN: API_TOKEN, TACT_METRICS_TOKEN: METRICS_TOKEN });
    const refused = await fetch(`${server.url}/metrics`);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status, 401, 'the API token is not the metrics token');
    const scraped = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /tact_messages_total \d+/);

    const open = await fetch(`${server.url}/healthz`);
    assert.equal(open.status, 200, 'a load balancer still gets its answer');
    assert.deepEqual(await open.json(), { status: 'ok' });
    const detailed = (await (await fetch(`${server.url}/healthz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).json()) as Record<string, unknown>;
    assert.equal(detailed['status'], 'ok');
    assert.equal(typeof detailed['faqs'], 'number');
  });
});
