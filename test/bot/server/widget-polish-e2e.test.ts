import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/bot/server.js';
import { createLogger } from '../../../src/bot/log.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

const OPEN = new Date('2026-11-27T02:00:00Z');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe (WCAG 2.1 A and AA) on the page, shadow roots included; the violations, each with the elements it found. */
async function axeViolations(page: Page): Promise<{ id: string; nodes: string[][] }[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate("axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.flat()) })))");
}

describe('a widget that feels finished, in Chromium against the real server', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;

  before(async function () {
    browser = await launchChromium(this, 'the widget polish tests');
    server = await startServer({ ...testConfig(resolve('knowledge-base')), port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, now: () => OPEN, onDuty: [TEST_AGENT] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  async function demo(options: BrowserContextOptions = {}): Promise<{ page: Page; chat: WidgetPage }> {
    const page = await (await browser.newContext(options)).newPage();
    const chat = new WidgetPage(page);
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.waitForText(/欢迎光临/, 'greeting');
    return { page, chat };
  }
  const inShadow = (page: Page, expression: string): Promise<unknown> => page.evaluate(`(() => { const root = document.querySelector('tact-chat').shadowRoot; return ${expression}; })()`);
  const sessionOf = (page: Page): Promise<string> => page.evaluate("localStorage.getItem('tact.session').split('.')[0]");

  it('shows times once per group as <time datetime>, and the latest message delivered, then read', async () => {
    const { page, chat } = await demo();
    await chat.type('转人工');
    await chat.waitForText(/排在第 1 位/, 'queued');
    const times = (await inShadow(page, "[...root.querySelectorAll('.log .msg')].map((m) => { const t = m.querySelector('time'); return [m.dataset.from, !!t && !Number.isNaN(Date.parse(t.getAttribute('datetime'))), !t.hidden]; })")) as [string, boolean, boolean][];
    assert.ok(times.every(([, valid]) => valid), 'every bubble carries a machine-readable time');
    assert.deepEqual(times.slice(0, 3).map(([from, , shown]) => [from, shown]), [['bot', true], ['customer', true], ['bot', true]]);
    assert.ok(times.slice(3).every(([from, , shown]) => from === 'bot' && !shown), 'the bot messages right after are one group, one time');
    const session = await sessionOf(page);
    await server.desk.claim(session, '林小雨');
    await chat.waitForText(/林小雨/, 'the agent joined');
    await chat.type('我的快递三天没动了');
    const state = page.locator('tact-chat .log .customer .state');
    await state.filter({ hasText: '已送达' }).waitFor();
    await server.desk.reply(session, '林小雨', '您好，我马上帮您查询。');
    await state.filter({ hasText: '已读' }).waitFor();
    assert.equal(await page.locator('tact-chat .log .agent .avatar').last().textContent(), '林');
    assert.equal(await state.count(), 1, 'only the latest message says it');
  });

  it('counts unread messages in the page title while the panel is closed, and puts the title back', async () => {
    const { page, chat } = await demo();
    const title = await page.title();
    await chat.type('转人工');
    await chat.waitForText(/排在第 1 位/, 'queued');
    const session = await sessionOf(page);
    await page.getByRole('button', { name: '关闭' }).click();
    await server.desk.claim(session, '林小雨');
    await server.desk.reply(session, '林小雨', '您好，请问有什么可以帮您？');
    await chat.waitFor('the title counts two unread messages', async () => (await page.title()) === `(2) ${title}`);
    await page.locator('tact-chat .launcher').click();
    assert.equal(await page.title(), title);
  });

  it('hints in the header how soon a person usually joins, from what the desk has seen', async () => {
    const { page } = await demo();
    assert.equal(await page.locator('tact-chat .status').textContent(), '人工客服通常在 1 分钟内接入');
  });

  it('follows the system dark mode unless data-theme says otherwise, and sits where data-position and data-offset put it', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    let page = await context.newPage();
    const background = (): Promise<unknown> => inShadow(page, "getComputedStyle(root.querySelector('.panel')).backgroundColor");
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    assert.equal(await background(), 'rgb(17, 24, 39)');
    await context.close();
    const other = await (await browser.newContext({ colorScheme: 'dark' })).newPage();
    page = other;
    await page.setContent(`<!doctype html><html lang="zh"><body><script src="${server.url}/widget.js" data-theme="light" data-position="left" data-offset="30,90"></script></body></html>`);
    await page.locator('tact-chat .launcher').waitFor();
    assert.deepEqual(await inShadow(page, "(() => { const s = getComputedStyle(root.querySelector('.launcher')); return [s.left, s.bottom]; })()"), ['30px', '90px']);
    await page.locator('tact-chat .launcher').click();
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await page.context().close();
  });

  it('gives every button a touch target of at least 44 px on a phone', async () => {
    const { page, chat } = await demo({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await chat.type('你好');
    await chat.waitForText(/您好/, 'small talk');
    const small = (await inShadow(page, "[...root.querySelectorAll('.panel button')].filter((b) => b.offsetParent !== null).map((b) => [b.textContent || b.getAttribute('aria-label'), b.getBoundingClientRect().width, b.getBoundingClientRect().height]).filter(([, w, h]) => w < 44 || h < 44)")) as unknown[];
    assert.deepEqual(small, []);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`is axe-clean in ${colorScheme} mode: the demo page and the open widget, with a conversation in it`, async () => {
      // bypassCSP: only so axe itself can be injected into the page.
      const { page, chat } = await demo({ bypassCSP: true, colorScheme });
      await chat.type('请问多久发货？');
      await chat.waitForText(/48 小时内发货/, 'the answer');
      assert.deepEqual(await axeViolations(page), []);
    });
  }
});
