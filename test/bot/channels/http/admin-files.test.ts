import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { pdf, photoWithGps } from '../../../helpers/test-files.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const OPEN = new Date('2026-11-27T02:00:00Z');

describe("a customer's photos and PDFs on the admin page", function () {
  this.timeout(30_000);
  let server: RunningServer;
  let client: ChatClient;
  const auth = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    server = await testServer(testConfig(resolve('knowledge-base'), { TACT_ADMIN_TOKEN: TOKEN }), { now: () => OPEN, watchKb: false });
    const opened = await ChatClient.open(server.url, { lang: 'zh' });
    client = opened.client;
    await client.reply();
    for (const [n, body] of [[1, await photoWithGps()], [2, pdf()]] as const) {
      const res = await fetch(`${server.url}/chat/files`, { method: 'POST', body, headers: { Authorization: `Bearer ${opened.welcome.session}`, 'X-File-Name': n === 1 ? 'box.jpg' : 'receipt.pdf' } });
      const { file } = (await res.json()) as { file: { id: string } };
      client.send({ type: 'message', id: `f${n}`, text: '', file: file.id });
      await client.next((f) => f.type === 'ack' && f.id === `f${n}`);
    }
    await client.say('转人工');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
  });
  after(async () => {
    client.close();
    await server.close();
    cleanTempDirs();
  });

  it('shows a photo as a thumbnail and a PDF as a download in the transcript, served only to staff', async () => {
    const page = await (await fetch(`${server.url}/admin/conversations`, { headers: auth })).text();
    const thumb = /<img src="(\/admin\/files\/[^"?]+)\?thumb=1" alt="photo: box\.jpg"/.exec(page)?.[1];
    assert.ok(thumb, 'the thumbnail is in the transcript');
    assert.match(page, /download="receipt\.pdf">PDF: receipt\.pdf<\/a>/);
    const image = await fetch(`${server.url}${thumb}?thumb=1`, { headers: auth });
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const anonymous = await fetch(`${server.url}${thumb}`, { redirect: 'manual' });
    assert.notEqual(anonymous.status, 200, 'not without signing in');
    assert.equal((await fetch(`${server.url}${thumb.replace(/\/[^/]+$/, '/AAAAAAAAAAAAAAAAAAAAAA')}`, { headers: auth })).status, 404);
  });
});
