import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger } from '../../../src/bot/log.js';
import { startServer, type RunningServer } from '../../../src/bot/server.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');
const ADMIN_TOKEN = 'admin-token-0123456789abcdef-0123456789';

describe('an English customer on the Chinese demo page, in Chromium, against the real server', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;

  let chat: WidgetPage;
  const texts = (): Promise<string[]> => chat.texts();
  const placeholder = (): Promise<string | null> => page.locator('tact-chat .compose textarea').getAttribute('placeholder');
  const waitFor = (what: string, check: () => Promise<boolean>): Promise<void> => chat.waitFor(what, check);
  const type = (text: string): Promise<void> => chat.type(text);

  before(async function () {
    browser = await launchChromium(this, 'end-to-end browser tests');
    server = await startServer({ ...testConfig(resolve('knowledge-base'), { TACT_ADMIN_TOKEN: ADMIN_TOKEN }), port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, now: () => OPEN, onDuty: [TEST_AGENT] });
    context = await browser.newContext();
    page = await context.newPage();
    chat = new WidgetPage(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  it('starts in Chinese, the page language, as the first guess', async () => {
    await page.goto(`${server.url}/`);
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    await page.locator('tact-chat .launcher').click();
    await waitFor('the greeting', async () => (await texts()).some((t) => /欢迎光临/.test(t)));
    assert.equal(await placeholder(), '输入消息…');
  });

  it('answers in English and switches the widget\'s own labels once the customer writes English', async () => {
    await type('Hi, do you accept installment payments?');
    await waitFor('the English answer', async () => (await texts()).some((t) => /anything else/i.test(t)));
    await waitFor('the English labels', async () => (await placeholder()) === 'Type a message…');
    assert.equal(await page.locator('tact-chat .compose button[type=submit]').textContent(), 'Send');
    assert.equal(await page.getByRole('button', { name: 'End chat' }).count(), 1);
    await type('DD20261127001');
    await waitFor('the reply to the order number', async () => (await texts()).length >= 5);
    assert.doesNotMatch((await texts()).at(-1) ?? '', /\p{Script=Han}/u, 'an order number does not switch back to Chinese');
  });

  it('hands them to a person in English, and shows the agent their language, not the page\'s', async () => {
    assert.deepEqual(await page.locator('tact-chat .replies button').allTextContents(), ['Talk to a person'], "the bot's own button is in English too");
    await page.locator('tact-chat .head button', { hasText: 'Talk to a person' }).click();
    await waitFor('the English queue notice', async () => (await texts()).some((t) => /number 1 in the queue/.test(t)));
    assert.equal(await page.locator('tact-chat .status').textContent(), 'In the queue: you are number 1');
    const admin = await (await fetch(`${server.url}/admin/conversations`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    assert.match(admin, /anonymous visitor · English/);
  });

  it('shows the English labels at once after a reload', async () => {
    await page.reload();
    await page.waitForFunction('window.Tact !== undefined');
    assert.equal(await page.locator('tact-chat .launcher').textContent(), 'Chat with us');
    assert.ok(await page.locator('tact-chat .panel').isVisible(), 'the panel reopens as it was');
    assert.equal(await placeholder(), 'Type a message…');
    await waitFor('the history', async () => (await texts()).some((t) => /number 1 in the queue/.test(t)));
    assert.equal(await page.locator('tact-chat .status').textContent(), 'In the queue: you are number 1', 'the place in the queue, in English, at once');
  });
});
