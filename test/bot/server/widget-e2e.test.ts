import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/bot/server.js';
import { createLogger } from '../../../src/bot/log.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');

describe('the demo page in Chromium, against the real server', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  let dialogs: string[];
  const config = { ...testConfig(resolve('knowledge-base')) };

  const start = async (port: number): Promise<RunningServer> => startServer({ ...config, port }, { log: createLogger('error', () => undefined), deskTickMs: 0, now: () => OPEN, onDuty: [TEST_AGENT] });
  let chat: WidgetPage;
  const texts = (): Promise<string[]> => chat.texts();
  const waitForText = (pattern: RegExp, what: string, timeoutMs = 10_000): Promise<void> => chat.waitForText(pattern, what, timeoutMs);
  const type = (text: string): Promise<void> => chat.type(text);

  before(async function () {
    browser = await launchChromium(this, 'end-to-end browser tests');
    server = await start(0);
    const context = await browser.newContext();
    page = await context.newPage();
    chat = new WidgetPage(page);
    dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  it('answers FAQs in Chinese and in English from the demo page', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await waitForText(/欢迎光临/, 'greeting');
    await type('请问多久发货？');
    await waitForText(/48 小时内发货/, 'with the shipping answer');
    await type('Do you accept installment payments?');
    await waitForText(/anything else we can help you with/, 'in English');
    // The customer's language, not the page's: the widget's own labels follow, and come back with Chinese.
    await page.getByRole('button', { name: 'Talk to a person' }).waitFor();
    await type('好的，谢谢');
    await page.getByRole('button', { name: '转人工' }).waitFor();
  });

  it('shows markup as text and runs none of it', async () => {
    await type('<img src=x onerror=alert(1)>');
    await waitForText(/^<img src=x onerror=alert\(1\)>$/, 'with the markup as text');
    assert.equal(await page.evaluate("document.querySelector('tact-chat').shadowRoot.querySelectorAll('.log img, .log script').length"), 0);
    assert.deepEqual(dialogs, []);
  });

  it('hands the customer to a person with their place in the queue', async () => {
    await page.getByRole('button', { name: '转人工' }).click();
    await waitForText(/排在第 1 位/, 'with the queue position');
  });

  it('restores the conversation after a reload', async () => {
    const before = await texts();
    await page.reload();
    assert.ok(await page.locator('tact-chat .panel').isVisible(), 'the panel reopens as the customer left it');
    await waitForText(/排在第 1 位/, 'restored after the reload');
    assert.deepEqual((await texts()).slice(0, before.length), before);
  });

  it('keeps what the customer types while the server is down, and sends it once it is back', async () => {
    const port = server.port;
    await server.desk.returnToBot(server.desk.waiting()[0]?.sessionId ?? '', '小林');
    await waitForText(/在线助手继续为您服务/, 'handing back to the bot');
    await server.close();
    await page.locator('tact-chat .banner').waitFor({ state: 'visible' });
    await type('退货运费谁出？');
    server = await start(port);
    // The widget's reconnect backs off up to 30 s while the server is down; a slow restart can meet a long step.
    await waitForText(/运费/, 'answering the message typed while offline', 40_000);
    const asked = (await texts()).filter((t) => t === '退货运费谁出？');
    assert.equal(asked.length, 1, 'sent once');
  });
});
