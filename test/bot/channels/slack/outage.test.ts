import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const SIGNING_SECRET = 'test-signing-secret-0123456789';
const SLACK = 'http://slack.test';
const OPEN = new Date('2026-11-27T02:00:00Z');

interface Attempt {
  readonly text: string;
  readonly threaded: boolean;
  readonly status: number;
}

describe('Slack down: a 429, then 503s, then a restart of the server mid-outage', function () {
  this.timeout(30_000);
  const attempts: Attempt[] = [];
  let slackUp = false;
  let ts = 1700000000;
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];

  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock(SLACK)
      .persist()
      .post('/api/chat.postMessage')
      .reply((_uri, body) => {
        const fields = Object.fromEntries(new URLSearchParams(String(body)));
        const status = slackUp ? 200 : attempts.length === 0 ? 429 : 503;
        attempts.push({ text: fields['text'] ?? '', threaded: fields['thread_ts'] !== undefined, status });
        if (status === 429) return [429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' }];
        if (status === 503) return [503, 'Service Unavailable'];
        return [200, { ok: true, channel: 'C0SUPPORT', ts: `${++ts}.000100` }];
      })
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'U1', name: 'lin', profile: { display_name: '小林' } } })
      .post('/api/chat.update')
      .reply(200, { ok: true, channel: 'C0SUPPORT', ts: '1.0' })
      .post('/api/apps.connections.open')
      .reply(503, 'Service Unavailable');
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });


  it('delivers every post exactly once, in order, and the card still works after the restart', async () => {
    const config = testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` });
    const first = await testServer(config, { now: () => OPEN, slackPaceMs: 20 });
    const { client, welcome } = await ChatClient.open(first.url, { lang: 'zh' });
    await client.reply();
    await client.say('转人工');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    await client.say('我还在等，请尽快');
    await until('a 429 and two 503s', () => attempts.length >= 3);
    client.close();
    await first.close();

    slackUp = true;
    const second = await testServer(config, { now: () => OPEN, slackPaceMs: 20 });
    servers.push(second);
    // The handoff post, the transcript, the customer's message and the suggestion for it.
    const delivered = await until('the four posts', () => {
      const ok = attempts.filter((a) => a.status === 200);
      return ok.length >= 4 && ok;
    });
    await new Promise((r) => setTimeout(r, 200));
    const ok = attempts.filter((a) => a.status === 200);
    assert.equal(ok.length, 4, 'nothing posted twice');
    assert.deepEqual(
      delivered.map((a) => a.threaded),
      [false, true, true, true],
      'the handoff post first, then its thread',
    );
    assert.match(ok[2]?.text ?? '', /我还在等/);
    assert.match(ok[3]?.text ?? '', /Suggested reply/);
    assert.deepEqual(
      attempts.filter((a) => a.status !== 200).map((a) => a.status).slice(0, 3),
      [429, 503, 503],
    );

    // After the restart the card's buttons still work.
    const resumed = await ChatClient.open(second.url, { token: welcome.session, after: 1000 });
    clients.push(resumed.client);
    const sessionId = welcome.session.split('.')[0] as string;
    const payload = { type: 'block_actions', user: { id: 'U1' }, api_app_id: 'A1', token: 't', team: { id: 'T1' }, trigger_id: 'tr', actions: [{ type: 'button', action_id: 'tact_claim', block_id: 'b', value: sessionId, action_ts: '1' }] };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const stamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`;
    const res = await fetch(`${second.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': stamp, 'x-slack-signature': signature } });
    assert.equal(res.status, 200);
    assert.match((await resumed.client.reply()).text, /客服小林已接入/);
  });

  it('starts in Socket Mode while Slack cannot be reached, and keeps serving customers', async () => {
    const config = testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: `${SLACK}/api/` });
    const server = await testServer(config, { now: () => OPEN });
    servers.push(server);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
    const { client } = await ChatClient.open(server.url, { lang: 'zh' });
    clients.push(client);
    await client.reply();
    await client.say('请问多久发货');
    assert.match((await client.reply()).text, /48 小时内发货/);
  });
});
