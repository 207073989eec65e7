import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CSP } from '../../src/bot/channels/web/assets.js';
import { launchChromium } from '../helpers/browser.js';
import { FakeChatServer } from '../helpers/fake-chat-server.js';

const BUNDLE = fileURLToPath(new URL('../../dist/widget/widget.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../dist/widget/demo.html', import.meta.url));
const FIRST_SESSION = 'session1.4102444800.fake';
const DEFAULT_ACCENT = 'rgb(37, 99, 235)';

/** The bundle `node scripts/build-widget.mjs` (part of `npm run build`) writes: the tests drive what ships. */
function bundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`node scripts/build-widget.mjs\` first`);
  return readFileSync(BUNDLE, 'utf8');
}

/** A shop page with ordinary, broad CSS (div, button, textarea) that a widget without a shadow root would inherit. */
function shopPage({ lang = 'zh-CN', attributes = '', head = '' } = {}): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<style>
  body { font-family: Georgia, serif; font-size: 22px; line-height: 3; letter-spacing: 3px; color: rgb(90, 20, 20); }
  div { padding: 30px; color: rgb(200, 0, 0); }
  button { background: rgb(128, 0, 128); font-size: 30px; border-radius: 0; text-transform: uppercase; }
  textarea { font-size: 40px; }
</style>${head}</head>
<body><h1>Tact 商城</h1><div class="grid"><div>无线耳机 ¥499</div><button>加入购物车</button></div>
<script src="/widget.js" async ${attributes}></script></body></html>`;
}

/** Waits for a condition in small polls rather than a fixed sleep; fails with `what` if it never holds. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the web chat widget in Chromium', () => {
  let browser: Browser;
  let widget: string;
  let server: FakeChatServer;
  let context: BrowserContext;
  let page: Page;
  let dialogs: string[];

  before(async function () {
    browser = await launchChromium(this, 'widget browser tests');
    widget = bundle();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await FakeChatServer.start(widget);
    context = await browser.newContext();
    page = await context.newPage();
    dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterEach(async () => {
    await context.close();
    await server.close();
  });

  // Playwright's CSS locators pierce open shadow roots, so these find the widget's insides.
  const launcher = () => page.locator('tact-chat .launcher');
  const panel = () => page.getByRole('dialog');
  const input = () => page.locator('tact-chat textarea');
  const texts = () => page.locator('tact-chat .log .text').allTextContents();
  const pending = () => page.locator('tact-chat .msg.pending').count();
  const banner = () => page.locator('tact-chat .banner');

  async function load(html = shopPage()): Promise<void> {
    server.page = html;
    await page.goto(`${server.origin}/`);
    await page.waitForFunction('window.Tact !== undefined');
  }

  /** Runs `body` in the page with `root` = the widget's shadow root. Page code is a string: the tests' tsconfig has no DOM types. */
  function inWidget(body: string): Promise<unknown> {
    return page.evaluate(`(() => { const root = document.querySelector('tact-chat').shadowRoot; ${body} })()`);
  }

  function styleOf(selector: string, ...properties: string[]): Promise<unknown> {
    return inWidget(`const s = getComputedStyle(root.querySelector(${JSON.stringify(selector)})); return ${JSON.stringify(properties)}.map((p) => s.getPropertyValue(p));`);
  }

  async function openAndConnect(): Promise<void> {
    await launcher().click();
    await until('the server has welcomed the widget', () => server.frames('hello').length === 1);
    await banner().waitFor({ state: 'hidden' });
    await until('the end-chat button is enabled by the welcome', () => page.getByRole('button', { name: '结束对话' }).isEnabled());
  }

  async function type(text: string): Promise<void> {
    await input().fill(text);
    await input().press('Enter');
  }

  it('opens the panel from the launcher inside a shadow root, out of reach of the page CSS', async () => {
    await load();
    assert.equal(await page.evaluate("document.querySelector('tact-chat').shadowRoot !== null"), true);
    assert.equal(await page.evaluate("document.querySelectorAll('.launcher, .panel, textarea').length"), 0, 'nothing of the widget in the light DOM');
    assert.deepEqual(await styleOf('.launcher', 'background-color', 'font-size', 'text-transform', 'letter-spacing'), [DEFAULT_ACCENT, '14px', 'none', 'normal']);
    assert.equal(await panel().isVisible(), false);

    await openAndConnect();
    assert.equal(await panel().isVisible(), true);
    assert.equal(await inWidget('return root.activeElement.tagName'), 'TEXTAREA', 'focus moves into the input');
    server.say({ from: 'bot', text: '您好！' });
    await until('the greeting is shown', async () => (await texts()).length === 1);
    assert.deepEqual(await styleOf('.msg.bot .text', 'color', 'font-size', 'line-height', 'padding', 'letter-spacing'), ['rgb(31, 41, 55)', '14px', '20.3px', '8px 12px', 'normal']);
    assert.match(String(await styleOf('.msg.bot .text', 'font-family')), /^system-ui/);
    assert.deepEqual(await styleOf('textarea', 'font-size'), ['14px']);
    assert.deepEqual(await styleOf('.compose button[type=submit]', 'background-color', 'font-size', 'border-radius'), [DEFAULT_ACCENT, '14px', '10px']);
  });

  it('says hello, shows its own message at once, marks it sent on ack and renders the bot reply', async () => {
    await load();
    await openAndConnect();
    assert.deepEqual(server.frames('hello'), [{ type: 'hello', token: null, lang: 'zh', identity: null, after: 0 }]);
    assert.equal(await page.evaluate("localStorage.getItem('tact.session')"), FIRST_SESSION);

    server.acks = 'hold';
    await type('请问多久发货？');
    await until('the message reaches the server', () => server.frames('message').length === 1);
    assert.equal(await input().inputValue(), '');
    assert.equal(await pending(), 1, 'shown faded until acknowledged');
    server.releaseAcks();
    await until('the ack marks it sent', async () => (await pending()) === 0);

    server.say({ from: 'bot', text: '一般 48 小时内发货。' });
    await until('the reply is shown', async () => (await texts()).length === 2);
    assert.deepEqual(await texts(), ['请问多久发货？', '一般 48 小时内发货。']);
    const [sent] = server.frames('message');
    assert.match(sent?.id ?? '', /^[0-9a-f]{24}$/);
    assert.equal(sent?.payload, null);
    assert.deepEqual(server.refused, []);
  });

  it('shows markup from the bot and from the customer as text, and runs none of it', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    await load();
    await openAndConnect();
    server.say({ from: 'bot', text: evil });
    await type(evil);
    await until('both messages are shown', async () => (await texts()).length === 2);
    assert.deepEqual(await texts(), [evil, evil]);
    assert.equal(await inWidget("return root.querySelectorAll('img, script').length"), 0);
    assert.deepEqual(dialogs, []);
  });

  it('makes https links safe anchors and leaves a javascript: link as text', async () => {
    const text = '别点 javascript:alert(document.cookie) ，退货政策见 https://shop.example/returns?from=chat&x=1。';
    await load();
    await openAndConnect();
    server.say({ from: 'bot', text });
    const link = page.locator('tact-chat .log a');
    await link.waitFor();
    assert.equal(await link.count(), 1);
    assert.equal(await link.getAttribute('href'), 'https://shop.example/returns?from=chat&x=1');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.deepEqual(await texts(), [text]);
  });

  it('sends a quick reply as its title and payload, and drops the buttons once a newer message arrives', async () => {
    await load();
    await openAndConnect();
    const replies = page.locator('tact-chat .replies button');
    server.say({ from: 'bot', text: '您想问哪一个？', quickReplies: [{ title: '查物流', payload: 'faq:shipping' }, { title: '退货', payload: 'faq:returns' }] });
    await replies.first().waitFor();
    assert.deepEqual(await replies.allTextContents(), ['查物流', '退货']);
    for (let i = 0; i < 12; i++) server.say({ from: 'bot', text: `第 ${i} 条很长的历史消息，把对话列表撑满。` });
    server.say({ from: 'bot', text: '您想问哪一个？', quickReplies: [{ title: '查物流', payload: 'faq:shipping' }, { title: '退货', payload: 'faq:returns' }] });
    await until('the newest buttons are shown', async () => (await texts()).length === 14);
    await replies.first().waitFor();
    assert.equal(await inWidget("const log = root.querySelector('.log'); return log.scrollTop + log.clientHeight >= log.scrollHeight - 1;"), true, 'the question the buttons answer stays in view');

    await replies.nth(1).click();
    await until('the reply reaches the server', () => server.frames('message').length === 1);
    assert.deepEqual(server.frames('message').map(({ text, payload }) => ({ text, payload })), [{ text: '退货', payload: 'faq:returns' }]);
    assert.equal(await replies.count(), 0);

    server.say({ from: 'bot', text: '需要退哪一件？', quickReplies: [{ title: '全部', payload: 'all' }] });
    await replies.first().waitFor();
    server.say({ from: 'bot', text: '请把订单号发给我。' });
    await until('the newer message removes the buttons', async () => (await replies.count()) === 0);
  });

  it('shows the typing indicator until typing stops or a message arrives', async () => {
    await load();
    await openAndConnect();
    const typing = page.locator('tact-chat .typing');
    server.push({ type: 'typing', on: true });
    await typing.waitFor({ state: 'visible' });
    assert.equal(await typing.textContent(), '对方正在输入…');
    server.push({ type: 'typing', on: false });
    await typing.waitFor({ state: 'hidden' });
    server.push({ type: 'typing', on: true });
    await typing.waitFor({ state: 'visible' });
    server.say({ from: 'bot', text: '在的。' });
    await typing.waitFor({ state: 'hidden' });
  });

  it('shows the queue position, the agent who joined and the agent name on their messages', async () => {
    await load();
    await openAndConnect();
    const status = page.locator('tact-chat .status');
    server.push({ type: 'status', status: 'queued', position: 3 });
    await until('the queue position shows', async () => (await status.textContent()) === '排队中，第 3 位');
    server.push({ type: 'status', status: 'agent', agent: '小王' });
    await until('the agent shows', async () => (await status.textContent()) === '客服 小王 已接入');
    server.say({ from: 'agent', agent: '小王', text: '您好，我是小王。' });
    const bubble = page.locator('tact-chat .msg.agent');
    await bubble.waitFor();
    assert.equal(await bubble.locator('.who').textContent(), '小王');
    assert.equal(await bubble.locator('.text').textContent(), '您好，我是小王。');
  });

  it('asks for a person with the button label and payload "human", and ends the chat with an end frame', async () => {
    await load();
    await openAndConnect();
    await page.getByRole('button', { name: '转人工' }).click();
    await until('the request reaches the server', () => server.frames('message').length === 1);
    assert.deepEqual(server.frames('message').map(({ text, payload }) => ({ text, payload })), [{ text: '转人工', payload: 'human' }]);
    await page.getByRole('button', { name: '结束对话' }).click();
    await until('the end frame reaches the server', () => server.frames('end').length === 1);
  });

  it('counts bot and agent messages that arrive while the panel is closed on the launcher badge', async () => {
    await load();
    await openAndConnect();
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'hidden' });
    const badge = page.locator('tact-chat .badge');
    server.say({ from: 'bot', text: '您的订单已发货。' });
    server.say({ from: 'agent', agent: '小王', text: '还有什么可以帮您？' });
    await until('the badge shows 2', async () => (await badge.isVisible()) && (await badge.textContent()) === '2');
    assert.match((await launcher().getAttribute('aria-label')) ?? '', /2 条未读消息/);
    await launcher().click();
    await badge.waitFor({ state: 'hidden' });
  });

  it('queues messages typed while offline and delivers them once each, in order, after reconnecting', async () => {
    await load();
    await openAndConnect();
    server.goDown();
    await banner().waitFor({ state: 'visible' });
    assert.equal(await banner().textContent(), '正在重新连接…');
    await type('第一条');
    await type('第二条');
    assert.equal(await pending(), 2);

    server.up();
    await banner().waitFor({ state: 'hidden' });
    await until('both are acknowledged', async () => (await pending()) === 0);
    assert.deepEqual(server.frames('message').map((m) => m.text), ['第一条', '第二条']);
    assert.deepEqual(server.conversation.map((m) => m.text), ['第一条', '第二条']);
    assert.deepEqual(server.frames('hello')[1], { type: 'hello', token: FIRST_SESSION, lang: 'zh', identity: null, after: 0 });
    assert.deepEqual(await texts(), ['第一条', '第二条']);
  });

  it('waits as long as the server asks when it refuses a new session, says why, then connects', async () => {
    server.refuseNewSessions = 2;
    await load();
    await launcher().click();
    await until('the first hello', () => server.frames('hello').length === 1);
    const notice = page.locator('tact-chat .notice');
    await notice.waitFor({ state: 'visible' });
    assert.equal(await notice.textContent(), '当前网络发起的对话过多，请稍候，我们会自动为您重新连接。');
    // The ordinary first backoff is under half a second: a widget that ignored the hint would have said hello again by now.
    await page.waitForTimeout(1500);
    assert.equal(server.frames('hello').length, 1, 'no reconnect before the server said');
    server.refuseNewSessions = null;
    await until('the widget comes back by itself', () => server.frames('hello').length === 2);
    await banner().waitFor({ state: 'hidden' });
  });

  it('keeps at most five messages unacknowledged at a time, so a long queue never trips the flood limit', async () => {
    await load();
    await openAndConnect();
    server.acks = 'hold';
    for (let i = 1; i <= 8; i++) await type(`第${i}条`);
    await until('five messages are in flight', () => server.frames('message').length === 5);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.frames('message').length, 5, 'no sixth before an ack');
    server.acks = 'ack';
    server.releaseAcks();
    await until('all are acknowledged', async () => (await pending()) === 0);
    assert.deepEqual(server.conversation.map((m) => m.text), Array.from({ length: 8 }, (_, i) => `第${i + 1}条`));
  });

  it('sends a message again on the same socket when the server could not store it', async () => {
    await load();
    await openAndConnect();
    server.acks = 'lose';
    await type('存不下也别丢');
    await until('the first attempt reaches the server', () => server.frames('message').length === 1);
    server.acks = 'ack';
    server.push({ type: 'error', code: 'STORE_FAILED', message: 'your message could not be saved; it will be sent again' });
    const notice = page.locator('tact-chat .notice');
    await notice.waitFor({ state: 'visible' });
    await until('the retry is acknowledged', async () => (await pending()) === 0);
    const [first, again] = server.frames('message');
    assert.equal(again?.id, first?.id);
    assert.equal(server.frames('hello').length, 1, 'no reconnect was needed');
    await notice.waitFor({ state: 'hidden' });
  });

  it('re-sends an unacknowledged message with the same id after a reconnect, and the server stores it once', async () => {
    await load();
    await openAndConnect();
    server.acks = 'lose';
    await type('还在吗？');
    await until('the first attempt reaches the server', () => server.frames('message').length === 1);
    server.goDown();
    server.acks = 'ack';
    await banner().waitFor({ state: 'visible' });
    server.up();
    await until('the re-sent message is acknowledged', async () => (await pending()) === 0);
    const [first, again] = server.frames('message');
    assert.equal(server.frames('message').length, 2);
    assert.equal(again?.id, first?.id);
    assert.deepEqual(server.conversation.map((m) => m.text), ['还在吗？']);
  });

  it('counts a message as delivered when it turns up in the history after its ack was lost', async () => {
    await load();
    await openAndConnect();
    server.acks = 'hold';
    await type('订单 1234 到哪了？');
    await until('it reaches the server', () => server.frames('message').length === 1);
    server.goDown();
    server.acks = 'ack';
    await banner().waitFor({ state: 'visible' });
    server.up();
    await until('the history settles it', async () => (await pending()) === 0);
    assert.equal(server.frames('message').length, 1, 'not sent again');
    assert.deepEqual(await texts(), ['订单 1234 到哪了？']);
  });

  it('restores the conversation after a reload from the stored token, without counting it as unread', async () => {
    await load();
    await openAndConnect();
    await type('你好');
    await until('acknowledged', async () => (await pending()) === 0);
    server.say({ from: 'bot', text: '您好！想问什么？', quickReplies: [{ title: '发货时间', payload: 'faq:shipping' }] });
    await until('the reply is shown', async () => (await texts()).length === 2);

    await page.reload();
    await page.waitForFunction('window.Tact !== undefined');
    await until('the widget resumes its session by itself', () => server.frames('hello').length === 2);
    assert.deepEqual(server.frames('hello')[1], { type: 'hello', token: FIRST_SESSION, lang: 'zh', identity: null, after: 0 });
    await until('the history is rendered', async () => (await texts()).length === 2);
    assert.equal(await page.locator('tact-chat .badge').isVisible(), false);
    assert.equal(await page.locator('tact-chat .panel').isVisible(), true, 'the panel reopens as the customer left it');
    assert.equal(await page.evaluate("(() => { const log = document.querySelector('tact-chat').shadowRoot.querySelector('.log'); return log.scrollTop + log.clientHeight >= log.scrollHeight - 2; })()"), true, 'scrolled to the latest message');
    assert.deepEqual(await texts(), ['你好', '您好！想问什么？']);
    assert.deepEqual(await page.locator('tact-chat .replies button').allTextContents(), ['发货时间']);
  });

  it('keeps a message typed while offline across a reload and sends it when the server is back', async () => {
    await load();
    await openAndConnect();
    server.goDown();
    await banner().waitFor({ state: 'visible' });
    await type('重新加载也别丢');
    await page.reload();
    await page.waitForFunction('window.Tact !== undefined');
    assert.equal(await pending(), 1);
    server.up();
    await until('delivered after the reload', async () => (await pending()) === 0);
    assert.deepEqual(server.conversation.map((m) => m.text), ['重新加载也别丢']);
    assert.equal(server.frames('message').length, 1);
  });

  it('offers window.Tact: open, close, send, identify and on(message), announced by tact:ready', async () => {
    await load(shopPage({ head: "<script>addEventListener('tact:ready', (e) => { window.readyWithApi = e.detail === window.Tact; });</script>" }));
    assert.equal(await page.evaluate('window.readyWithApi'), true);
    await page.evaluate(`Tact.identify({ id: 'u42', name: '张伟', hash: 'h1' });
      window.got = [];
      window.stop = Tact.on('message', (m) => got.push(m.from + ':' + m.text));
      Tact.open();`);
    await panel().waitFor();
    await until('the hello carries the identity', () => server.frames('hello').length === 1);
    assert.deepEqual(server.frames('hello')[0]?.identity, { id: 'u42', name: '张伟', hash: 'h1' });

    await page.evaluate("Tact.send('我的订单呢？')");
    await until('the API message reaches the server', () => server.frames('message').length === 1);
    assert.equal(server.frames('message')[0]?.text, '我的订单呢？');
    await page.evaluate("Tact.identify({ id: 'u42', name: '张伟', hash: 'h2' })");
    await until('the identify frame reaches the server', () => server.frames('identify').length === 1);
    assert.deepEqual(server.frames('identify')[0]?.identity, { id: 'u42', name: '张伟', hash: 'h2' });

    server.say({ from: 'bot', text: '正在查。' });
    await until('the handler hears it', async () => (await page.evaluate('got.length')) === 1);
    await page.evaluate('stop()');
    server.say({ from: 'agent', agent: '小王', text: '已发货。' });
    await until('the second message is shown', async () => (await texts()).length === 3);
    assert.deepEqual(await page.evaluate('got'), ['bot:正在查。']);

    await page.evaluate('Tact.close()');
    await panel().waitFor({ state: 'hidden' });
    assert.deepEqual(server.refused, []);
  });

  it('is driven by the keyboard: Enter sends, Shift+Enter breaks the line, Esc closes back to the launcher', async () => {
    await load();
    await launcher().focus();
    await page.keyboard.press('Enter');
    await panel().waitFor();
    await until('connected', () => server.frames('hello').length === 1);
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Enter');
    await until('the message is sent', () => server.frames('message').length === 1);
    assert.equal(server.frames('message')[0]?.text, 'line one\nline two');
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'hidden' });
    assert.equal(await inWidget('return root.activeElement.className'), 'launcher');
  });

  it('follows data-lang, data-title and a valid data-color, and ignores a colour that smuggles CSS', async () => {
    await load(shopPage({ attributes: 'data-lang="en" data-title="Help desk" data-color="#0a7f3f"' }));
    assert.equal(await launcher().textContent(), 'Chat with us');
    assert.deepEqual(await styleOf('.launcher', 'background-color'), ['rgb(10, 127, 63)']);
    await launcher().click();
    assert.match((await page.locator('tact-chat h2').textContent()) ?? '', /^Help desk/);
    assert.equal(await input().getAttribute('placeholder'), 'Type a message…');
    await until('connected', () => server.frames('hello').length === 1);
    assert.equal(server.frames('hello')[0]?.lang, 'en');

    // The language the first page's conversation was in is remembered; this page must pick English by itself.
    await page.evaluate('localStorage.clear()');
    await load(shopPage({ lang: 'en', attributes: 'data-color="red;}*{display:none"' }));
    assert.deepEqual(await styleOf('.launcher', 'background-color'), [DEFAULT_ACCENT]);
    assert.equal(await launcher().textContent(), 'Chat with us', '<html lang> picks English without data-lang');
  });

  it("switches its own labels to the customer's language when the server says so, and starts in it after a reload", async () => {
    await load();
    await openAndConnect();
    const status = page.locator('tact-chat .status');
    server.say({ from: 'bot', text: '您好！' });
    server.push({ type: 'status', status: 'queued', position: 2 });
    await until('the queue position shows', async () => (await status.textContent()) === '排队中，第 2 位');

    server.setLang('en');
    await until('the input speaks English', async () => (await input().getAttribute('placeholder')) === 'Type a message…');
    assert.equal(await status.textContent(), 'In the queue: you are number 2', 'the status line is said again in English');
    assert.match((await page.locator('tact-chat h2').textContent()) ?? '', /^Customer service/);
    assert.equal(await page.locator('tact-chat .compose button[type=submit]').textContent(), 'Send');
    assert.equal(await page.getByRole('button', { name: 'End chat' }).isEnabled(), true);
    assert.equal(await page.locator('tact-chat .msg.bot .sr').textContent(), 'Assistant', 'bubbles already shown are relabelled');
    await page.getByRole('button', { name: 'Talk to a person' }).click();
    await until('the request reaches the server', () => server.frames('message').length === 1);
    assert.deepEqual(server.frames('message').map(({ text, payload }) => ({ text, payload })), [{ text: 'Talk to a person', payload: 'human' }]);

    await page.reload();
    await page.waitForFunction('window.Tact !== undefined');
    assert.equal(await launcher().textContent(), 'Chat with us', 'English before the widget has even connected');
    await until('the widget resumes its session', () => server.frames('hello').length === 2);
    assert.deepEqual(server.frames('hello')[1], { type: 'hello', token: FIRST_SESSION, lang: 'en', identity: null, after: 0 });
    assert.equal(await input().getAttribute('placeholder'), 'Type a message…');
  });

  it('keeps a too-long message in the input with a notice, locally and when the server refuses one', async () => {
    await load();
    await openAndConnect();
    const notice = page.locator('tact-chat .notice');
    await type('好'.repeat(2001));
    await notice.waitFor({ state: 'visible' });
    assert.equal(await notice.textContent(), '消息太长了，最多 2000 个字。');
    assert.equal((await input().inputValue()).length, 2001);
    assert.equal(server.frames('message').length, 0);

    server.acks = 'lose';
    await type('一条服务器嫌长的消息');
    await until('it reaches the server', () => server.frames('message').length === 1);
    server.push({ type: 'error', code: 'TOO_LONG', message: 'message.text is too long' });
    await until('the text is back in the input', async () => (await input().inputValue()) === '一条服务器嫌长的消息');
    assert.equal(await pending(), 0);
    assert.equal(await notice.isVisible(), true);
  });

  it('runs on the demo shop page under the CSP the server sends with it', async () => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    server.csp = DEMO_CSP;
    await load(readFileSync(DEMO, 'utf8'));
    assert.match(await page.title(), /Tact 商城/);
    await openAndConnect();
    await type('有优惠券吗？');
    server.say({ from: 'bot', text: '新用户下单立减 20 元。' });
    await until('the reply is shown', async () => (await texts()).length === 2);
    assert.deepEqual(await styleOf('.compose button[type=submit]', 'background-color', 'text-transform'), [DEFAULT_ACCENT, 'none']);
    assert.deepEqual(problems, []);
  });

  it('fills the screen on a phone', async () => {
    await page.setViewportSize({ width: 375, height: 667 });
    await load();
    await launcher().click();
    assert.deepEqual(await panel().boundingBox(), { x: 0, y: 0, width: 375, height: 667 });
  });
});

describe('the widget bundle', () => {
  it('is well under 30 KB gzipped', () => {
    const gzipped = gzipSync(bundle()).length;
    assert.ok(gzipped < 30 * 1024, `widget.js is ${gzipped} bytes gzipped`);
  });
});
