import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import type { ChatMessage } from '../../../../src/bot/channels/web/protocol.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { buttonPress, fakeSlack, signedHeaders, SIGNING_SECRET, SLACK, type Recorded } from '../../../helpers/fake-slack.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { photoWithGps, png, zip } from '../../../helpers/test-files.js';
import { until } from '../../../helpers/until.js';

const OPEN = new Date('2026-11-27T02:00:00Z');
const AGENT = 'U01LIN0001';

describe('photos and PDFs between the customer and the agents in Slack, with Slack on nock', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let slack: { calls: Recorded[] };
  let customer: ChatClient;
  let token: string;
  let sessionId: string;
  let thread: { channel: string; ts: string };
  let events = 0;

  const uploads = (): Recorded[] => slack.calls.filter((c) => c.method === 'files.completeUploadExternal');
  async function sendPhoto(text = ''): Promise<void> {
    const res = await fetch(`${server.url}/chat/files`, { method: 'POST', body: await photoWithGps(), headers: { Authorization: `Bearer ${token}`, 'X-File-Name': 'damaged.jpg' } });
    const { file } = (await res.json()) as { file: { id: string } };
    const id = `p${++events}`;
    customer.send({ type: 'message', id, text, file: file.id });
    await customer.next((f) => f.type === 'ack' && f.id === id);
  }
  async function slackEvent(event: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `EvF${++events}`, event_time: 1, event });
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, 'application/json') });
    assert.equal(res.status, 200);
  }
  const shared = (files: readonly Record<string, unknown>[], text = ''): Record<string, unknown> => ({ type: 'message', subtype: 'file_share', channel: thread.channel, user: AGENT, text, ts: `${Date.now() / 1000}`, thread_ts: thread.ts, files });

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    slack = fakeSlack();
    server = await testServer(testConfig(resolve('knowledge-base'), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` }), { now: () => OPEN, slackPaceMs: 20 });
    const opened = await ChatClient.open(server.url, { lang: 'zh' });
    customer = opened.client;
    token = opened.welcome.session;
    sessionId = token.split('.')[0] as string;
    await customer.reply();
  });
  after(async () => {
    customer?.close();
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  it("puts a photo sent before the handoff into the card's thread, after the transcript", async () => {
    await sendPhoto();
    assert.match((await customer.reply()).text, /已收到您发送的文件/);
    await customer.say('转人工');
    await customer.next((f) => f.type === 'status' && f.status === 'queued');
    const done = await until('the photo uploaded into the thread', () => uploads()[0]);
    assert.match(String(done.body['initial_comment']), /The customer sent a photo/);
    assert.ok(done.body['thread_ts'], 'in the thread');
    assert.ok(slack.calls.some((c) => c.method === 'upload' && Number(c.body['bytes']) > 1000), 'the bytes went to the upload URL');
    const transcript = slack.calls.find((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] !== undefined);
    thread = { channel: 'C0SUPPORT', ts: String(transcript?.body['thread_ts']) };
  });

  it('sends the agent a photo the customer sends while they talk, with the words that came with it, masked', async () => {
    const body = buttonPress('tact_claim', AGENT, sessionId);
    await fetch(`${server.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, 'application/x-www-form-urlencoded') });
    await customer.next((f) => f.type === 'status' && f.status === 'agent');
    await sendPhoto('箱子压坏了，电话13812345678');
    const done = await until('the second photo in the thread', () => uploads()[1]);
    assert.match(String(done.body['initial_comment']), /箱子压坏了/);
    assert.doesNotMatch(String(done.body['initial_comment']), /13812345678/);
  });

  it("sends the customer a photo the agent shares in the thread, kept and served from the customer's chat", async () => {
    nock(SLACK).get('/files-pri/T1-F9/label.png').matchHeader('authorization', 'Bearer xoxb-test').reply(200, await png(200, 100));
    await slackEvent(shared([{ id: 'F9', name: 'label.png', size: 2000, url_private: `${SLACK}/files-pri/T1-F9/label.png` }]));
    const reply = (await customer.next((f) => f.type === 'message' && f.from === 'agent' && f.file !== undefined)) as ChatMessage;
    assert.equal(reply.file?.name, 'label.png');
    const res = await fetch(`${server.url}/chat/files/${reply.file?.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
  });

  it('fetches nothing from a host that is not Slack, and tells the agent privately when a file cannot be sent', async () => {
    const before = customer.frames.length;
    await slackEvent(shared([{ id: 'F10', name: 'x.png', size: 10, url_private: 'http://169.254.169.254/latest/meta-data' }]));
    await until('the private note about the refused host', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && /x\.png was not sent/.test(String(c.body['text']))));
    nock(SLACK).get('/files-pri/T1-F11/photo.jpg').reply(200, zip());
    await slackEvent(shared([{ id: 'F11', name: 'photo.jpg', size: 204, url_private: `${SLACK}/files-pri/T1-F11/photo.jpg` }]));
    const note = await until('the private note about the zip', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && /photo\.jpg was not sent/.test(String(c.body['text']))));
    assert.match(String(note.body['text']), /only photos/);
    assert.ok(!customer.frames.slice(before).some((f) => f.type === 'message' && f.from === 'agent'), 'the customer got nothing');
  });
});
