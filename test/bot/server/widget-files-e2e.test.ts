import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/bot/server.js';
import { createLogger } from '../../../src/bot/log.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';
import { pdf, photoWithGps, png, zip } from '../../helpers/test-files.js';

const OPEN = new Date('2026-11-27T02:00:00Z');

describe('photos and PDFs from the widget in Chromium, against the real server', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  let chat: WidgetPage;
  const picker = (): ReturnType<Page['locator']> => page.locator('tact-chat input[type=file]');
  /** Images in the log that have loaded (a blob: URL fetched with the session token). */
  const loadedImages = (): Promise<number> => page.evaluate("[...document.querySelector('tact-chat').shadowRoot.querySelectorAll('.log img')].filter((i) => i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:')).length");

  before(async function () {
    browser = await launchChromium(this, 'the widget file tests');
    server = await startServer({ ...testConfig(resolve('knowledge-base')), port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, now: () => OPEN, onDuty: [TEST_AGENT] });
    page = await (await browser.newContext()).newPage();
    chat = new WidgetPage(page);
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await chat.waitForText(/欢迎光临/, 'greeting');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  it('sends a photo picked with the attach button: shown from the server, answered honestly', async () => {
    await page.getByRole('button', { name: '发送图片或 PDF' }).waitFor();
    await picker().setInputFiles({ name: 'parcel.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
    await chat.waitForText(/已收到您发送的文件/, 'acknowledging the photo');
    await chat.waitFor('the photo is shown', async () => (await loadedImages()) === 1);
    assert.equal(await page.locator('tact-chat .log .customer.pending').count(), 0, 'acknowledged, not pending');
  });

  it('refuses a zip named like a photo with the reason, and lets the customer remove it', async () => {
    await picker().setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: zip() });
    const failed = page.locator('tact-chat .upload.failed');
    await failed.waitFor();
    assert.match(await failed.innerText(), /只能发送图片/);
    await failed.getByRole('button', { name: '移除' }).click();
    assert.equal(await page.locator('tact-chat .upload').count(), 0);
  });

  it('refuses a file over 10 MB before uploading any of it', async () => {
    let uploads = 0;
    page.on('request', (r) => void (r.url().endsWith('/chat/files') && r.method() === 'POST' && uploads++));
    await picker().setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 0x20) });
    await page.locator('tact-chat .upload.failed').waitFor();
    assert.match(await page.locator('tact-chat .upload.failed').innerText(), /超过 10 MB/);
    assert.equal(uploads, 0);
    await page.locator('tact-chat .upload.failed').getByRole('button', { name: '移除' }).click();
  });

  it('sends a screenshot pasted into the input and a PDF dropped on the panel', async () => {
    const screenshot = (await png(120, 80)).toString('base64');
    const receipt = pdf().toString('base64');
    // A string, not a function: the test runner's transpiler would put its own helpers in a function's source.
    await page.evaluate(`(() => {
      const root = document.querySelector('tact-chat').shadowRoot;
      const file = (b64, name, type) => new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type });
      const pasted = new DataTransfer();
      pasted.items.add(file('${screenshot}', 'image.png', 'image/png'));
      root.querySelector('.compose textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
      const dropped = new DataTransfer();
      dropped.items.add(file('${receipt}', 'receipt.pdf', 'application/pdf'));
      root.querySelector('.panel').dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    })()`);
    await chat.waitFor('the screenshot is shown', async () => (await loadedImages()) === 2);
    await page.locator('tact-chat .file-doc', { hasText: 'receipt.pdf' }).waitFor();
  });

  it('shows the photos again after a reload, fetched with the session', async () => {
    await page.reload();
    await page.locator('tact-chat .panel').waitFor();
    await chat.waitFor('both photos are shown again', async () => (await loadedImages()) === 2);
    const download = page.waitForEvent('download');
    await page.locator('tact-chat .file-doc', { hasText: 'receipt.pdf' }).click();
    assert.equal((await download).suggestedFilename(), 'receipt.pdf');
  });
});
