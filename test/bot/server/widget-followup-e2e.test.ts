import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/bot/server.js';
import { createLogger } from '../../../src/bot/log.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

const OPEN = new Date('2026-11-27T02:00:00Z');

describe('the follow-up (回访) on the next visit, in Chromium against the real server with a clock the test moves', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let clock = OPEN;

  before(async function () {
    browser = await launchChromium(this, 'the follow-up browser test');
    server = await startServer({ ...testConfig(resolve('knowledge-base')), port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, schedulerTickMs: 0, now: () => clock, onDuty: [TEST_AGENT] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  it('asks a customer who comes back 72 hours after their complaint was resolved, and reopens it when they say it is not', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const chat = new WidgetPage(page);
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.waitForText(/欢迎光临/, 'greeting');
    const steps: [string, RegExp][] = [
      ['我要投诉，快递员态度太差了', /订单号/],
      ['跳过', /发生了什么|经过/],
      ['快递员骂人', /希望|诉求/],
      ['希望道歉', /是否正确|对吗|确认/],
      ['对', /手机号或邮箱/],
      ['跳过', /投诉单号/],
    ];
    for (const [text, reply] of steps) {
      await chat.type(text);
      await chat.waitForText(reply, `after "${text}"`);
    }
    const session = (await page.evaluate("localStorage.getItem('tact.session')")) as string;
    await server.desk.claim(session.split('.')[0] as string, '小林');
    await server.desk.resolve(session.split('.')[0] as string, '小林');
    await chat.waitForText(/满意吗/, 'the survey');
    await page.close();

    clock = new Date(OPEN.getTime() + 72 * 3600_000);
    assert.equal(await server.scheduler.tick(), 1);

    const back = await context.newPage();
    const again = new WidgetPage(back);
    await back.goto(`${server.url}/`);
    await back.locator('tact-chat .launcher').click();
    await again.waitForText(/回访.*问题是否已经解决/s, 'the follow-up question');
    await back.getByRole('button', { name: '不是' }).click();
    await again.waitForText(/重新打开投诉单/, 'the complaint reopened');
    assert.match(await again.header(), /排队中|客服/);
  });
});
