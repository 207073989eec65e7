import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { buttonPress, fakeSlack, signedHeaders, SIGNING_SECRET, SLACK, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

/** Friday 10:00 in Shanghai: within the demo KB's service hours. */
const OPEN = new Date('2026-11-27T02:00:00Z');

describe('agents on and off duty in Slack', function () {
  this.timeout(30_000);
  let slack: { calls: Recorded[] };
  let server: RunningServer;
  const clients: ChatClient[] = [];
  const config = testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` });

  const start = (): Promise<RunningServer> => testServer(config, { now: () => OPEN, slackPaceMs: 20, onDuty: [] });
  const toSlack = (body: string, type: string): Promise<Response> => fetch(`${server.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, type) });
  const pressDuty = (user: string, to: 'on' | 'off'): Promise<Response> => toSlack(buttonPress('tact_duty', user, to), 'application/x-www-form-urlencoded');
  async function openHome(user: string): Promise<string> {
    const before = slack.calls.filter((c) => c.method === 'views.publish').length;
    const body = JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `EvHome${Date.now()}${Math.random()}`, event_time: 1, event: { type: 'app_home_opened', user, channel: 'D1', tab: 'home' } });
    assert.equal((await toSlack(body, 'application/json')).status, 200);
    return latestHome(before);
  }
  async function latestHome(before: number): Promise<string> {
    const published = await until('the Home view', () => slack.calls.filter((c) => c.method === 'views.publish')[before]);
    return JSON.stringify(JSON.parse(String(published.body['view'])));
  }
  async function customer(): Promise<{ client: ChatClient; session: string }> {
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    clients.push(client);
    await client.reply();
    return { client, session: welcome.session.split('.')[0] as string };
  }

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    server = await start();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  it('shows on the Home tab that nobody is on duty, and puts the agent on duty with one button', async () => {
    const home = await openHome('U1');
    assert.match(home, /You are off duty/);
    assert.match(home, /Nobody is on duty: customers who ask for a person are asked to leave a message/);
    assert.match(home, /"action_id":"tact_duty","value":"on"/);
    const before = slack.calls.filter((c) => c.method === 'views.publish').length;
    assert.equal((await pressDuty('U1', 'on')).status, 200);
    assert.match(await latestHome(before), /You are on duty/);
    assert.equal(server.desk.staffed(OPEN), 1);
  });

  it('queues a customer while someone is on duty, and marks the card when the customer cancels', async () => {
    const { client, session } = await customer();
    await client.say('转人工');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    await until('the handoff post', () => slack.calls.find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body['blocks'] ?? '').includes(session)));
    await client.say('不用了');
    const updated = await until('the card updated', () => slack.calls.find((c) => c.method === 'chat.update' && /no longer needs a person/.test(JSON.stringify(c.body['blocks']))));
    assert.doesNotMatch(JSON.stringify(updated.body['blocks']), /tact_claim/, 'nothing left to claim');
    await until('the note in the thread', () => slack.calls.find((c) => /cancelled the request for a person/.test(String(c.body['text']))));
  });

  it('keeps the toggle across a restart, and after "off duty" asks the next customer to leave a message, posted as a message card', async () => {
    await server.close();
    server = await start();
    assert.equal(server.desk.staffed(OPEN), 1, 'still on duty after the restart');
    const before = slack.calls.filter((c) => c.method === 'views.publish').length;
    assert.equal((await pressDuty('U1', 'off')).status, 200);
    assert.match(await latestHome(before), /You are off duty/);
    const { client, session } = await customer();
    await client.say('转人工');
    assert.match((await client.reply()).text, /暂时没有同事在线/, 'said first: no "connecting you now"');
    client.send({ type: 'message', id: 'form-1', text: '退款一直没到账', payload: 'leave_message', contact: 'me@example.com' });
    await client.next((f) => f.type === 'status' && f.status === 'message');
    const card = await until('the message card', () => slack.calls.find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body['blocks'] ?? '').includes(session)));
    assert.match(JSON.stringify(card.body['blocks']), /A message left while nobody could take the chat/);
    assert.match(JSON.stringify(card.body['blocks']), /退款一直没到账/, 'the summary is what they wrote for the team');
    assert.doesNotMatch(JSON.stringify(card.body), /me@example\.com/, 'the contact is masked for staff');
  });
});
