import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../../src/bot/server.js';
import { launchChromium } from '../../helpers/browser.js';
import { testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

describe('the widget on a page whose origin the server does not allow, in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let shop: Server;

  before(async function () {
    browser = await launchChromium(this, 'the refused-origin browser test');
    server = await testServer(testConfig(resolve('knowledge-base'), { TACT_ALLOWED_ORIGINS: 'https://the-real-shop.example' }));
    // Another origin (another port), not on the allow-list.
    shop = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="zh"><title>shop</title><body><script src="${server.url}/widget.js"></script></body></html>`));
    await new Promise<void>((done) => shop.listen(0, '127.0.0.1', done));
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => shop?.close(done));
    await server?.close();
    cleanTempDirs();
  });

  it('says plainly that the chat is not available here, tells the page owner in the console, and stops trying', async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    let sockets = 0;
    page.on('websocket', () => void sockets++);
    await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
    await page.locator('tact-chat .launcher').click();
    await page.locator('tact-chat .banner', { hasText: '在线客服暂时无法在此页面使用' }).waitFor();
    assert.ok(errors.some((t) => /TACT_ALLOWED_ORIGINS/.test(t)), `console: ${JSON.stringify(errors)}`);
    await page.waitForTimeout(3000);
    assert.equal(sockets, 1, 'no reconnect loop');
    assert.ok(await page.locator('tact-chat .compose textarea').isDisabled());
  });
});
