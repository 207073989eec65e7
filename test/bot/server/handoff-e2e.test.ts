import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer, type ServerOptions } from '../../../src/bot/server.js';
import { createLogger } from '../../../src/bot/log.js';
import { SESSION_ID } from '../../../src/bot/channels/web/session.js';
import { launchChromium } from '../../helpers/browser.js';
import { WidgetPage } from '../../helpers/widget-page.js';
import { TEST_AGENT, testConfig } from '../../helpers/chat-server.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

/** Friday 10:00 in Shanghai: within the demo KB's service hours. */
const OPEN = new Date('2026-11-27T02:00:00Z');
/** Friday 23:30 in Shanghai: outside them. */
const CLOSED = new Date('2026-11-27T15:30:00Z');

/**
 * Handing over to a person, in Chromium against the real server, with no
 * Slack: nobody on duty (the message form), the queue (serving while
 * waiting, reloads, cancelling), out of hours, and the complaint intake's
 * free-text answers.
 */
describe('handing over to a person in the browser', function () {
  this.timeout(90_000);
  let browser: Browser;
  let server: RunningServer | null = null;
  let page: Page;

  async function start(opts: ServerOptions, kbDir = resolve('knowledge-base'), greeting = /欢迎光临/): Promise<RunningServer> {
    server = await startServer({ ...testConfig(kbDir), port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, ...opts });
    page = await (await browser.newContext()).newPage();
    chat = new WidgetPage(page);
    await page.goto(`${server.url}/`);
    await page.locator('tact-chat .launcher').click();
    await waitForText(greeting, 'greeting');
    return server;
  }
  let chat: WidgetPage;
  const texts = (): Promise<string[]> => chat.texts();
  const header = (): Promise<string> => chat.header();
  const waitFor = (test: () => Promise<boolean>, what: string): Promise<void> => chat.waitFor(what, test);
  const waitForText = (pattern: RegExp, what: string): Promise<void> => chat.waitForText(pattern, what);
  const waitForHeader = (pattern: RegExp): Promise<void> => chat.waitFor(`the header matches ${pattern}`, async () => pattern.test(await header()));
  const type = (text: string): Promise<void> => chat.type(text);

  before(async function () {
    browser = await launchChromium(this, 'handoff browser tests');
  });
  afterEach(async () => {
    await page?.context().close();
    await server?.close();
    server = null;
  });
  after(async () => {
    await browser?.close();
    cleanTempDirs();
  });

  it('with nobody on duty, takes a message through the form, checked before it is sent, and files a ticket', async () => {
    const s = await start({ now: () => OPEN, onDuty: [] });
    await page.getByRole('button', { name: '转人工' }).click();
    await waitForText(/暂时没有同事在线/, 'saying nobody is on duty');
    assert.equal(await header(), '', 'the header never says queued');
    await page.locator('tact-chat .replies').getByRole('button', { name: '留言' }).click();
    const form = page.locator('tact-chat form.leave');
    await form.waitFor({ state: 'visible' });
    assert.equal(await page.locator('tact-chat .compose').isVisible(), false, 'the form takes the place of the input');
    await form.getByRole('button', { name: '提交留言' }).click();
    assert.match(await form.getByRole('alert').innerText(), /请先写下您的问题/);
    await form.getByLabel('请描述您的问题').fill('订单 DD20261127001 一直没有发货');
    await form.getByLabel('手机号或邮箱（选填）').fill('下午打给我');
    await form.getByRole('button', { name: '提交留言' }).click();
    assert.match(await form.getByRole('alert').innerText(), /有效的手机号或邮箱/);
    await form.getByLabel('手机号或邮箱（选填）').fill('138 1234 5678');
    await form.getByRole('button', { name: '提交留言' }).click();
    assert.match(await form.getByRole('alert').innerText(), /勾选同意/);
    await form.getByLabel('同意客服通过以上联系方式就本次留言与我联系').check();
    await form.getByRole('button', { name: '提交留言' }).click();
    await waitForText(/留言已收到，单号 T\d{4}-[0-9A-Z]{5}/, 'confirming the ticket');
    await waitForHeader(/已留言/);
    assert.equal(await form.isVisible(), false);
    const session = (await s.store.conversations()).find((id) => SESSION_ID.test(id));
    const ticket = (await s.store.read(session ?? '')).find((e) => e.kind === 'handoff');
    assert.ok(ticket?.kind === 'handoff' && ticket.via === 'message');
    assert.deepEqual(ticket.details, { what: '订单 DD20261127001 一直没有发货', contact: '138 1234 5678' });
  });

  it('keeps serving a queued customer, keeps the place across a reload, and lets them cancel', async () => {
    await start({ now: () => OPEN, onDuty: [TEST_AGENT] });
    await page.getByRole('button', { name: '转人工' }).click();
    await waitForText(/排在第 1 位，预计等待约 1 分钟/, 'with the place and the wait');
    await waitForHeader(/排队中，第 1 位/);
    await type('请问多久发货？');
    await waitForText(/在您等待人工客服期间，先为您解答：.*48 小时内发货/s, 'answering the FAQ while waiting');
    await type('还要等多久？');
    await waitForText(/排在第 1 位，预计还需等待约 1 分钟/, 'with the wait as it is now');
    await page.reload();
    assert.ok(await page.locator('tact-chat .panel').isVisible(), 'the panel reopens as it was');
    await waitForHeader(/排队中，第 1 位/);
    await page.locator('tact-chat .replies').getByRole('button', { name: '不用了，取消等待' }).click();
    await waitForText(/已为您取消人工客服的排队/, 'cancelling');
    await waitForHeader(/^$/);
  });

  it('out of hours says when the team is back and offers the message form, not a wait', async () => {
    await start({ now: () => CLOSED, onDuty: [TEST_AGENT] });
    await page.getByRole('button', { name: '转人工' }).click();
    await waitForText(/不在人工服务时间内/, 'saying it is out of hours');
    assert.equal((await texts()).some((t) => /预计等待|排在第/.test(t)), false);
    await page.locator('tact-chat .replies').getByRole('button', { name: '留言' }).click();
    await page.locator('tact-chat form.leave').waitFor({ state: 'visible' });
  });

  it('understands "不对" and "我不想留" in the complaint intake, and keeps no refusal as contact details', async () => {
    const s = await start({ now: () => OPEN, onDuty: [TEST_AGENT] });
    await type('我要投诉，快递员态度太差了');
    await waitForText(/订单号/, 'asking for the order number');
    await page.locator('tact-chat .replies').getByRole('button', { name: '跳过' }).click();
    await waitForText(/具体经过/, 'asking what happened');
    await type('快递员骂人');
    await waitForText(/希望我们怎样处理/, 'asking what they want');
    await type('道歉');
    await waitForText(/请问是这样吗/, 'restating');
    await type('不对，我是要退款');
    await waitFor(async () => (await texts()).filter((t) => /具体经过/.test(t)).length === 2, 'the intake did not go back to what happened');
    await type('快递员骂人，还把包裹摔坏了');
    await waitFor(async () => (await texts()).filter((t) => /希望我们怎样处理/.test(t)).length === 2, 'no second wish question');
    await type('退款');
    await waitFor(async () => (await texts()).filter((t) => /请问是这样吗/.test(t)).length === 2, 'no second restatement');
    await type('对的');
    await waitForText(/手机号或邮箱/, 'asking for contact details');
    await type('我不想留');
    await waitForText(/投诉单号为/, 'filing the complaint');
    const session = (await s.store.conversations()).find((id) => SESSION_ID.test(id));
    const filed = (await s.store.read(session ?? '')).find((e) => e.kind === 'handoff');
    assert.ok(filed?.kind === 'handoff');
    assert.equal(filed.details['contact'], '', 'the refusal is not kept as contact details');
    assert.equal(filed.details['wanted'], '退款');
  });

  it('speaks as a shop imported from its own CSV, never as the demo shop, through a whole conversation', async () => {
    const kbDir = join(tempDir(), 'bakery-kb');
    const imported = spawnSync(process.execPath, [join('bin', 'tact.js'), 'kb', 'import', join('test', 'fixtures', 'bakery.csv'), '--out', kbDir, '--name-zh', '甜心烘焙', '--name-en', 'Sweetheart Bakery'], { encoding: 'utf8', env: { ...process.env, TACT_KB_DIR: '' } });
    assert.equal(imported.status, 0, imported.stderr);
    await start({ now: () => OPEN, onDuty: [] }, kbDir, /欢迎光临甜心烘焙/);
    await type('生日蛋糕要提前几天订？');
    await waitForText(/提前两天/, 'answering from the imported FAQs');
    await type('你是机器人吗');
    await page.getByRole('button', { name: '转人工' }).click();
    await waitForText(/暂时没有同事在线/, 'offering the message form');
    await type('I want to report a scam, someone asked me to transfer money');
    await waitFor(async () => (await texts()).some((t) => /Sweetheart Bakery staff will never ask/.test(t)), 'no fraud warning in the shop’s name');
    // The customer wrote in English last, so the widget's labels are English now.
    await page.getByRole('button', { name: 'End chat' }).click();
    await waitForText(/满意|satisfied/, 'the survey');
    const said = (await texts()).join('\n');
    assert.doesNotMatch(said, /Tact ?商城|Tact Shop|400-820-6060/, 'nothing of the demo shop');
  });
});
