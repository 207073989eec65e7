import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../../src/bot/server.js';
import { launchChromium } from '../../helpers/browser.js';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { captureSmtp, type CapturedSmtp } from '../../helpers/smtp.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';
import { until } from '../../helpers/until.js';
import { WidgetPage } from '../../helpers/widget-page.js';

describe('"e-mail me this conversation" in Chromium against the real server and a real SMTP relay', function () {
  this.timeout(60_000);
  let browser: Browser;
  let relay: CapturedSmtp;
  let withMail: RunningServer;
  let withoutMail: RunningServer;

  before(async function () {
    browser = await launchChromium(this, 'the transcript browser test');
    relay = await captureSmtp();
    withMail = await testServer(testConfig(resolve('knowledge-base'), { TACT_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, TACT_MAIL_FROM: 'Tact Shop <service@shop.test>' }));
    withoutMail = await testServer(testConfig(resolve('knowledge-base')));
  });
  after(async () => {
    await browser?.close();
    await withMail?.close();
    await withoutMail?.close();
    await relay?.close();
    cleanTempDirs();
  });

  async function openChat(server: RunningServer): Promise<WidgetPage> {
    const page = await (await browser.newContext()).newPage();
    const chat = new WidgetPage(page);
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.waitForText(/欢迎光临/, 'greeting');
    return chat;
  }

  it('mails the conversation mid-complaint to the address given with consent, and the complaint intake carries on', async () => {
    const chat = await openChat(withMail);
    const page = chat.page;
    await chat.type('我要投诉，快递员态度太差了');
    await chat.waitForText(/订单号/, 'the intake asking for the order number');

    await page.getByRole('button', { name: '发送聊天记录到邮箱' }).click();
    const address = page.getByLabel('邮箱地址');
    await address.fill('不是邮箱');
    await page.getByRole('button', { name: '发送', exact: true }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: '有效的邮箱地址' }).waitFor());
    await address.fill('li.lei@example.com');
    await page.getByRole('button', { name: '发送', exact: true }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: '勾选同意' }).waitFor());
    await page.getByLabel(/同意把这段对话发送到这个邮箱/).check();
    await page.getByRole('button', { name: '发送', exact: true }).click();

    await chat.waitForText(/正在发送到 l\*+@example\.com/, 'the bot saying where it goes, masked');
    await until('the e-mail reaches the relay', () => relay.sent.length === 1);
    const mail = relay.sent[0];
    assert.match(mail?.text ?? '', /我要投诉，快递员态度太差了[\s\S]*订单号[\s\S]*请把这段聊天记录发到我的邮箱/);

    await chat.type('跳过');
    await chat.waitForText(/发生了什么|经过/, 'the intake going on to its next question');
  });

  it('does not offer it when the server cannot send e-mail, and says so to a request that comes anyway', async () => {
    const chat = await openChat(withoutMail);
    assert.equal(await chat.page.getByRole('button', { name: '发送聊天记录到邮箱' }).isVisible(), false);
    const { client, welcome } = await ChatClient.open(withoutMail.url, { lang: 'zh' });
    try {
      assert.equal(welcome.transcripts, undefined);
      await client.reply();
      client.send({ type: 'message', id: 'ask-1', text: '请把这段聊天记录发到我的邮箱。', payload: 'transcript', contact: 'li.lei@example.com' });
      assert.match((await client.reply()).text, /暂时无法通过邮件发送聊天记录/);
    } finally {
      client.close();
    }
  });
});
