import assert from 'node:assert/strict';
import { request } from 'node:http';
import WebSocket from 'ws';
import { CLOSE, MAX_FRAME_BYTES, MAX_TEXT_CHARS } from '../../../../src/bot/channels/web/protocol.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

describe('the chat socket', function () {
  this.timeout(20_000);
  let server: RunningServer;
  const clients: ChatClient[] = [];
  const track = (c: ChatClient): ChatClient => {
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await testServer(testConfig(shopKb(), { TACT_ALLOWED_ORIGINS: 'https://shop.example.com' }), { rate: { perSecond: 5, burst: 10 } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  async function customer(): Promise<{ client: ChatClient; token: string }> {
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'zh' });
    track(client);
    await client.reply();
    return { client, token: welcome.session };
  }

  /** A client that stays connected and still gets answers: the proof that a misbehaving neighbour affected nobody. */
  async function stillServed(client: ChatClient): Promise<void> {
    await client.say('下单后多久发货？');
    assert.match((await client.reply()).text, /48小时内发货/);
  }

  it('resumes a session from its signed token, with the history the widget has not seen', async () => {
    const { client, token } = await customer();
    await client.say('下单后多久发货？');
    await client.reply();
    client.close();
    const again = await ChatClient.open(server.url, { token, after: 1 });
    track(again.client);
    assert.equal(again.welcome.session, token);
    assert.deepEqual(
      again.welcome.history.map((m) => [m.seq, m.from]),
      [
        [2, 'customer'],
        [3, 'bot'],
      ],
    );
  });

  it('tells the widget when a customer on a Chinese page writes English, before replying in English, and welcomes a reload in it', async () => {
    const { client, token } = await customer();
    // Small talk between the two, or two misses in a row would hand the customer to a person.
    for (const text of ['123456', 'ok', 'DD20261127001', '👍']) {
      await client.say(text);
      await client.reply();
    }
    assert.ok(!client.frames.some((f) => f.type === 'lang'), 'an order number or digits say nothing about the language');

    await client.say('Hi, how long does delivery take after I order?');
    const reply = await client.reply();
    assert.doesNotMatch(reply.text, /\p{Script=Han}/u, `an English reply: ${reply.text}`);
    const switched = client.frames.findIndex((f) => f.type === 'lang');
    assert.deepEqual(client.frames[switched], { type: 'lang', lang: 'en' });
    assert.ok(switched < client.frames.indexOf(reply), 'the widget hears of the language before the reply in it');

    await client.say('ok');
    await client.reply();
    assert.equal(client.frames.filter((f) => f.type === 'lang').length, 1, '"ok" does not switch back');
    client.close();
    const again = await ChatClient.open(server.url, { token, lang: 'zh', after: 100 });
    track(again.client);
    assert.equal(again.welcome.lang, 'en', "the page's language does not override the customer's");
  });

  it("shows a customer's message and the reply in every tab of their session", async () => {
    const { client, token } = await customer();
    const tab = track((await ChatClient.open(server.url, { token, after: 100 })).client);
    await client.say('下单后多久发货？', undefined, 'from-tab-1');
    const echoed = await tab.next((f) => f.type === 'message' && f.from === 'customer');
    assert.deepEqual(echoed.type === 'message' ? [echoed.text, echoed.id] : null, ['下单后多久发货？', 'from-tab-1']);
    assert.match((await tab.reply()).text, /48小时内发货/);
    assert.ok(!client.frames.some((f) => f.type === 'message' && f.from === 'customer'), 'the sending tab gets an ack, not an echo');
  });

  it('never lets a socket speak as, or hear, another session: a forged or altered token starts a new session', async () => {
    const victim = await customer();
    const [id = '', expiry = '', mac = ''] = victim.token.split('.');
    const forgeries = [`${id}.${expiry}.${'A'.repeat(43)}`, `${id}.${Number(expiry) + 1}.${mac}`, id, `${id}.1.x`];
    const questions = ['下单后多久发货？', '退款多久到账？', '怎么开发票？', '忘记密码怎么办？'];
    for (const [i, token] of forgeries.entries()) {
      const { client, welcome } = await ChatClient.open(server.url, { token, after: 0 });
      track(client);
      assert.notEqual(welcome.session.split('.')[0], id, `token ${token.slice(0, 30)}… must not resume the victim's session`);
      assert.deepEqual(welcome.history, []);
      await client.reply(); // its own greeting
      await victim.client.say(questions[i] as string);
      await victim.client.reply();
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(
        client.frames.map((f) => f.type),
        ['welcome', 'message'],
        'the intruder heard nothing of the victim',
      );
    }
  });

  it('acknowledges a re-sent message again without storing or answering it twice', async () => {
    const { client, token } = await customer();
    const first = await client.say('下单后多久发货？', undefined, 'same-id');
    await client.reply();
    const again = await client.say('下单后多久发货？', undefined, 'same-id');
    assert.equal(again.seq, first.seq);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.frames.filter((f) => f.type === 'message').length, 2, 'greeting and one answer');
    const stored = await server.store.read(token.split('.')[0] as string);
    assert.equal(stored.filter((e) => e.kind === 'message' && e.from === 'customer').length, 1);
  });

  it('refuses a page from an origin not on the allow-list, saying why over the socket so the widget stops retrying, and accepts listed and same-origin pages', async () => {
    // Listening before the socket opens: the server speaks at once and closes.
    const refused = await new Promise<{ frames: string[]; code: number }>((done) => {
      const frames: string[] = [];
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/chat`, { headers: { Origin: 'https://evil.example.net' } });
      ws.on('message', (data) => frames.push(String(data)));
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello' })));
      ws.on('close', (code) => done({ frames, code }));
    });
    assert.equal(refused.code, 4403);
    const [error, ...rest] = refused.frames.map((f) => JSON.parse(f) as { type: string; code?: string; message?: string });
    assert.equal(error?.code, 'FORBIDDEN_ORIGIN');
    assert.match(error?.message ?? '', /TACT_ALLOWED_ORIGINS/);
    assert.deepEqual(rest, [], 'no session for a refused page');
    track(await ChatClient.connect(server.url, { Origin: 'https://shop.example.com' }));
    track(await ChatClient.connect(server.url, { Origin: server.url }));
  });

  it('answers a malformed frame with a coded error and keeps the socket usable', async () => {
    const { client } = await customer();
    client.send('{"type": "message", "id": ');
    assert.deepEqual(await client.next((f) => f.type === 'error'), { type: 'error', code: 'BAD_JSON', message: 'frame is not valid JSON' });
    client.send({ type: 'message', id: '../../etc/passwd', text: 'hi' });
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'BAD_FRAME');
    client.send({ type: 'launch-missiles' });
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'BAD_FRAME');
    client.send([1, 2, 3]);
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'BAD_FRAME');
    client.ws.send(Buffer.from([0xde, 0xad]), { binary: true });
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'BAD_FRAME');
    client.send({ type: 'message', id: 'long', text: 'x'.repeat(MAX_TEXT_CHARS + 1) });
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'TOO_LONG');
    client.send({ type: 'hello' });
    assert.equal(((await client.next((f) => f.type === 'error')) as { code: string }).code, 'BAD_FRAME');
    await stillServed(client);
  });

  it('refuses contact details on a message that are not a short string, and stores nothing', async () => {
    const { client } = await customer();
    client.send({ type: 'message', id: 'form-a', text: '留言', payload: 'leave_message', contact: { phone: '13812345678' } });
    assert.match(((await client.next((f) => f.type === 'error')) as { message: string }).message, /message\.contact must be a string/);
    client.send({ type: 'message', id: 'form-b', text: '留言', payload: 'leave_message', contact: '1'.repeat(201) });
    assert.match(((await client.next((f) => f.type === 'error')) as { message: string }).message, /at most 200 characters/);
    assert.equal(client.frames.some((f) => f.type === 'ack'), false);
    await stillServed(client);
  });

  it('closes a socket whose first frame is not hello, with a reason', async () => {
    const client = track(await ChatClient.connect(server.url));
    client.send({ type: 'message', id: 'a', text: 'hi' });
    const closed = await client.waitClose();
    assert.equal(closed.code, CLOSE.noHello);
    assert.match(closed.reason, /hello/);
  });

  it('closes a socket that sends an oversized frame, and nobody else notices', async () => {
    const bystander = await customer();
    const { client } = await customer();
    client.send({ type: 'message', id: 'big', text: 'x'.repeat(MAX_FRAME_BYTES + 10) });
    assert.equal((await client.waitClose()).code, CLOSE.tooBig);
    await stillServed(bystander.client);
  });

  it('closes a flooding socket, and nobody else notices', async () => {
    const bystander = await customer();
    const { client } = await customer();
    for (let i = 0; i < 50; i++) client.send({ type: 'ping' });
    const closed = await client.waitClose();
    assert.equal(closed.code, CLOSE.flood);
    assert.match(closed.reason, /too many/);
    await stillServed(bystander.client);
  });

  it('serves the demo page, the widget, health and metrics on the same port', async () => {
    const get = (path: string): Promise<{ status: number; type: string; body: string }> =>
      new Promise((resolve, reject) => {
        request(`${server.url}${path}`, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        })
          .on('error', reject)
          .end();
      });
    const health = await get('/healthz');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    const metrics = await get('/metrics');
    assert.match(metrics.body, /tact_messages_total \d+/);
    assert.match(metrics.body, /tact_decisions_total\{action="answer"\} \d+/);
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(page.type, /text\/html/);
    assert.match(page.body, /<script src="\/widget\.js"/);
    const widget = await get('/widget.js');
    assert.equal(widget.status, 200);
    assert.match(widget.type, /javascript/);
    assert.equal((await get('/nope')).status, 404);
  });
});
