import assert from 'node:assert/strict';
import { request } from 'node:http';
import { resolve } from 'node:path';
import sharp from 'sharp';
import type { RunningServer } from '../../../../src/bot/server.js';
import type { ChatMessage } from '../../../../src/bot/channels/web/protocol.js';
import { DEFAULT_LIMITS } from '../../../../src/bot/limits.js';
import { ChatClient, LOOSE_LIMITS, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';
import { heic, pdf, photoWithGps, pngClaiming, SVG_WITH_SCRIPT, zip } from '../../../helpers/test-files.js';

const SHOP = 'https://shop.example.com';

describe('photos and PDFs in the chat, over HTTP beside the socket', function () {
  this.timeout(30_000);
  const config = testConfig(resolve('knowledge-base'), { TACT_ALLOWED_ORIGINS: SHOP });
  let server: RunningServer;
  const clients: ChatClient[] = [];

  before(async () => {
    server = await testServer(config);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  async function customer(on = server): Promise<{ client: ChatClient; token: string }> {
    const { client, welcome } = await ChatClient.open(on.url, { lang: 'zh' });
    clients.push(client);
    await client.reply();
    return { client, token: welcome.session };
  }

  function upload(token: string | null, body: Buffer, headers: Record<string, string> = {}, on = server): Promise<Response> {
    return fetch(`${on.url}/chat/files`, { method: 'POST', body, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'X-File-Name': encodeURIComponent('快递破损.jpg'), ...headers } });
  }

  async function uploaded(token: string, body: Buffer): Promise<{ id: string; kind: string; name: string; size: number; width?: number }> {
    const res = await upload(token, body);
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { file: { id: string; kind: string; name: string; size: number; width?: number } }).file;
  }

  const get = (token: string | null, path: string): Promise<Response> => fetch(`${server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const code = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

  it('keeps a photo without its GPS position and serves it, and its thumbnail, only to the chat it was sent in', async () => {
    const { token } = await customer();
    const file = await uploaded(token, await photoWithGps());
    assert.deepEqual([file.kind, file.name, file.width], ['image', '快递破损.jpg', 800]);
    const res = await get(token, `/chat/files/${file.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).exif, undefined);
    const thumb = await get(token, `/chat/files/${file.id}?thumb=1`);
    assert.ok(((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width ?? 0) <= 320);

    const other = await customer();
    assert.equal((await get(other.token, `/chat/files/${file.id}`)).status, 404, "another customer's token finds nothing");
    assert.equal((await get(null, `/chat/files/${file.id}`)).status, 401);
    assert.equal((await get(`${token.slice(0, -2)}xx`, `/chat/files/${file.id}`)).status, 401, 'a forged token');
  });

  it('serves a PDF only as a download', async () => {
    const { token } = await customer();
    const file = await uploaded(token, pdf());
    const res = await get(token, `/chat/files/${file.id}`);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
  });

  it('refuses hostile files by what they are, with a code the widget can show', async () => {
    const { token } = await customer();
    const refusals = [
      [zip(), 415, 'FILE_TYPE'],
      [SVG_WITH_SCRIPT, 415, 'FILE_TYPE'],
      [heic(), 415, 'FILE_HEIC'],
      [pngClaiming(60_000, 60_000), 422, 'FILE_DIMENSIONS'],
      [pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'), 422, 'FILE_ACTIVE_PDF'],
      [Buffer.alloc(0), 422, 'FILE_EMPTY'],
    ] as const;
    for (const [body, status, expected] of refusals) {
      const res = await upload(token, body);
      assert.equal(res.status, status, expected);
      assert.equal(await code(res), expected);
    }
  });

  it('refuses a file over 10 MB, declared or streamed, without reading all of it', async () => {
    const { token } = await customer();
    const big = Buffer.alloc(11 * 1024 * 1024, 0xff);
    const declared = await upload(token, big);
    assert.equal(declared.status, 413);
    // Chunked: no Content-Length to refuse it by, so the count stops it.
    const status = await new Promise<number>((done, fail) => {
      const req = request(`${server.url}/chat/files`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      for (let i = 0; i < 11; i++) req.write(Buffer.alloc(1024 * 1024, 0xff));
      req.end();
    });
    assert.equal(status, 413);
  });

  it('answers the preflight of an allowed page, and refuses a page that is not allowed', async () => {
    const pre = await fetch(`${server.url}/chat/files`, { method: 'OPTIONS', headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), SHOP);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const { token } = await customer();
    assert.equal((await upload(token, pdf(), { Origin: 'https://evil.example' })).status, 403);
  });

  it('sends a photo as a message: acknowledged, answered honestly by the bot, and in the history after a reload', async () => {
    const { client, token } = await customer();
    const file = await uploaded(token, await photoWithGps());
    client.send({ type: 'message', id: 'photo-1', text: '', file: file.id });
    await client.next((f) => f.type === 'ack' && f.id === 'photo-1');
    const reply = await client.reply();
    assert.match(reply.text, /已收到您发送的文件/);
    assert.deepEqual(reply.quickReplies?.map((q) => q.payload), ['human']);
    const back = await ChatClient.open(server.url, { token, after: 0 });
    clients.push(back.client);
    const sent = back.welcome.history.find((m: ChatMessage) => m.id === 'photo-1');
    assert.deepEqual(sent?.file, { id: file.id, kind: 'image', name: '快递破损.jpg', size: file.size, width: 800, height: 600 });
  });

  it('stores a photo and the words sent right after it in the order they were sent', async () => {
    const { client, token } = await customer();
    const file = await uploaded(token, await photoWithGps());
    client.send({ type: 'message', id: 'order-1', text: '', file: file.id });
    client.send({ type: 'message', id: 'order-2', text: '箱子压坏了' });
    const first = await client.next((f) => f.type === 'ack' && f.id === 'order-1');
    const second = await client.next((f) => f.type === 'ack' && f.id === 'order-2');
    assert.ok(first.type === 'ack' && second.type === 'ack' && first.seq < second.seq, `photo ${JSON.stringify(first)} before words ${JSON.stringify(second)}`);
  });

  it("refuses a message naming a file that is not this chat's", async () => {
    const owner = await customer();
    const file = await uploaded(owner.token, pdf());
    const { client } = await customer();
    client.send({ type: 'message', id: 'steal-1', text: 'look', file: file.id });
    const error = await client.next((f) => f.type === 'error');
    assert.ok(error.type === 'error' && error.code === 'BAD_FRAME');
    assert.ok(!client.frames.some((f) => f.type === 'ack' && f.id === 'steal-1'), 'not acknowledged');
  });

  it('limits how many files one chat may upload', async () => {
    const strict = await testServer(testConfig(resolve('knowledge-base')), { limits: { ...LOOSE_LIMITS, uploads: { burst: 2, perMinute: 1 } } });
    try {
      const { token } = await customer(strict);
      assert.equal((await upload(token, pdf(), {}, strict)).status, 201);
      assert.equal((await upload(token, pdf(), {}, strict)).status, 201);
      const third = await upload(token, pdf(), {}, strict);
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) > 0);
    } finally {
      await strict.close();
    }
    assert.ok(DEFAULT_LIMITS.uploads.burst >= 10, 'a customer can send a handful of photos by default');
  });
});
