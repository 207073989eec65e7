import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/browser.js';
import { freePort, killed, serve, type ChildServer } from '../../helpers/child-server.js';
import { startNginx, type Nginx } from '../../helpers/nginx.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';
import { WidgetPage } from '../../helpers/widget-page.js';

const ADMIN = 'a'.repeat(40);
/** nginx reaches Tact from this address, so Tact can tell its proxy from the client (127.0.0.1). */
const PROXY_ADDRESS = '127.0.0.2';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request: over TLS trusting `ca` (nginx's certificate), or plain HTTP straight to Tact from `localAddress`. */
function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer; ca?: string; localAddress?: string } = {}): Promise<Answer> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: opts.method ?? 'GET', headers: opts.headers, ca: opts.ca, localAddress: opts.localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The TLS version and application protocol nginx settles on with a client offering these. */
function handshake(url: string, ca: string, versions: { min?: SecureVersion; max?: SecureVersion } = {}): Promise<{ protocol: string | null; alpn: string | false | null }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), ca, ALPNProtocols: ['h2', 'http/1.1'], minVersion: versions.min, maxVersion: versions.max }, () => {
      resolve({ protocol: socket.getProtocol(), alpn: socket.alpnProtocol ?? null });
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('Tact behind the shipped nginx site with TLS, in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser;
  let nginx: Nginx;
  let tact: ChildServer;
  const children: ChildProcess[] = [];

  before(async function () {
    browser = await launchChromium(this, 'the HTTPS tests');
    const port = await freePort();
    tact = await serve({ PORT: String(port), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: tempDir('tact-https-'), TACT_ADMIN_TOKEN: ADMIN, TACT_TRUSTED_PROXIES: PROXY_ADDRESS, TACT_CACHE_DIR: 'off' });
    children.push(tact.process);
    assert.equal(tact.exitCode, null, tact.stderr);
    nginx = await startNginx([port], { proxyFrom: PROXY_ADDRESS });
  });
  after(async () => {
    await browser?.close();
    await nginx?.stop();
    await Promise.all(children.map(killed));
    cleanTempDirs();
  });

  it('serves the widget over https and the chat over wss: a question gets its answer', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      const response = await page.goto(`${nginx.url}/`);
      assert.equal(response?.status(), 200);
      assert.equal(response?.headers()['strict-transport-security'], 'max-age=63072000', 'HSTS');
      const chat = new WidgetPage(page);
      await page.locator('tact-chat .launcher').click();
      await chat.type('请问多久发货？');
      await chat.waitForText(/48小时内发货/, 'with the shipping answer', 20_000);
      assert.ok(sockets.length > 0 && sockets.every((u) => u.startsWith(`wss://127.0.0.1:${new URL(nginx.url).port}/chat`)), `the chat socket went through nginx over TLS: ${sockets.join(', ')}`);
    } finally {
      await context.close();
    }
  });

  it('speaks TLS 1.3 with HTTP/2, and TLS 1.2 to older clients', async () => {
    assert.deepEqual(await handshake(nginx.url, nginx.certificate.pem), { protocol: 'TLSv1.3', alpn: 'h2' });
    assert.equal((await handshake(nginx.url, nginx.certificate.pem, { max: 'TLSv1.2' })).protocol, 'TLSv1.2');
  });

  it('sends plain HTTP to HTTPS with the same path and query', async () => {
    const answer = await call(`${nginx.httpUrl}/admin/login?next=%2Fadmin`);
    assert.equal(answer.status, 301);
    assert.equal(answer.headers['location'], 'https://127.0.0.1/admin/login?next=%2Fadmin');
  });

  it('counts the client by the address nginx saw, ignoring a spoofed X-Forwarded-For', async () => {
    // Wrong admin tokens through nginx, each claiming another address: Tact counts them all against the client's real one.
    const wrong = { authorization: `Bearer ${'x'.repeat(40)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(`${nginx.url}/admin`, { headers: { ...wrong, 'x-forwarded-for': `203.0.113.${i}` }, ca: nginx.certificate.pem })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'a spoofed X-Forwarded-For does not buy new tries');
    // The client's own address (127.0.0.1, not nginx's 127.0.0.2) is the one held back: straight to Tact from it, still refused …
    assert.equal((await call(`${tact.url}/admin`, { headers: wrong, localAddress: '127.0.0.1' })).status, 429, 'Tact saw the client address nginx passed on');
    // … while another address is not.
    assert.equal((await call(`${tact.url}/admin`, { headers: wrong, localAddress: '127.0.0.3' })).status, 401);
  });

  it('lets a photo of up to 10 MB through to Tact, which answers for it', async () => {
    // No session token: Tact's own refusal (401, JSON) proves nginx passed the 2 MB body on instead of refusing it (413).
    const answer = await call(`${nginx.url}/chat/files`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 1), headers: { 'content-type': 'image/jpeg' }, ca: nginx.certificate.pem });
    assert.equal(answer.status, 401, answer.body);
    assert.match(answer.body, /"error"/);
  });
});
