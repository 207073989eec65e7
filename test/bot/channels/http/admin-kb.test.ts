import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { decide } from '../../../../src/bot/core/decide.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { launchChromium } from '../../../helpers/browser.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
/** Friday 10:00 in Shanghai, when the team is on duty; the clock runs on from there. */
const OPEN = Date.parse('2026-11-27T02:00:00Z');

describe('the admin pages in Chromium, against the real server', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  let kbDir: string;
  const problems: string[] = [];
  const clients: ChatClient[] = [];

  const shopFile = (): string => readFileSync(join(kbDir, 'faqs', 'shop.yaml'), 'utf8');
  const liveFaq = (id: string) => server.knowledge.current.kb.faqs.find((f) => f.id === id);
  const goto = async (path: string): Promise<void> => {
    await page.goto(`${server.url}${path}`);
  };
  /** Clicks a submit button and waits for the page the server answers with. */
  const submit = async (selector: string): Promise<void> => {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  };
  const customer = async (): Promise<ChatClient> => {
    const { client } = await ChatClient.open(server.url);
    clients.push(client);
    return client;
  };

  before(async function () {
    browser = await launchChromium(this, 'admin page browser tests');
    kbDir = shopKb();
    const started = Date.now();
    server = await testServer(testConfig(kbDir, { TACT_ADMIN_TOKEN: TOKEN }), { watchKb: true, now: () => new Date(OPEN + Date.now() - started) });
    page = await (await browser.newContext()).newPage();
    // The CSP forbids inline code: any violation, missing file or script error shows up here (a refused form's 409 or 422 page is expected).
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4(09|22)\b/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });
  after(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await server?.close();
    cleanTempDirs();
  });

  it('signs in with the token and finds an FAQ by searching', async () => {
    await goto('/admin/kb');
    assert.match(page.url(), /\/admin\/login$/);
    await page.getByLabel('Admin token').fill(TOKEN);
    await submit('button[type=submit]');
    assert.match(page.url(), /\/admin\/dashboard$/);
    await page.getByRole('link', { name: 'Knowledge base' }).click();
    await page.getByLabel('Search FAQs').fill('refund');
    await submit('form[role=search] button');
    const refund = await page.locator('tbody td:first-child a').allTextContents();
    assert.equal(refund[0], 'refund-time', 'the FAQ about refunds first');
    assert.ok(!refund.includes('ship-time'));
    await page.getByLabel('Search FAQs').fill('电子发票');
    await submit('form[role=search] button');
    const ids = await page.locator('tbody td:first-child a').allTextContents();
    assert.deepEqual(ids, ['invoice-get']);
  });

  it('saves an edited answer to the KB file, and the bot answers with it once the server has reloaded', async () => {
    const answer = '您好，电子发票可以在“我的-发票”页面申请，开票后24小时内发到您的邮箱。';
    await page.getByRole('link', { name: 'invoice-get' }).click();
    await page.locator('#answer_zh').fill(answer);
    await submit('#save');
    assert.match(page.url(), /\/admin\/kb\/faq\/invoice-get\?saved=1$/);
    assert.match(await page.locator('[role=status]').innerText(), /^Saved\./);
    assert.ok(shopFile().includes(answer), 'written to the file');
    await until('the reloaded KB', () => liveFaq('invoice-get')?.answer.zh === answer);
    assert.match(decide(server.knowledge.current, '怎么开发票').reply, /24小时内发到您的邮箱/);
    const client = await customer();
    await client.say('怎么开发票');
    assert.match((await client.reply()).text, /24小时内发到您的邮箱/);
  });

  it('adds a new FAQ', async () => {
    await goto('/admin/kb/new');
    await page.locator('#id').fill('gift-cards');
    await page.locator('#category').fill('shop');
    await page.locator('#question_zh').fill('你们卖礼品卡吗？');
    await page.locator('#question_en').fill('Do you sell gift cards?');
    await page.locator('#alternates').fill('礼品卡怎么买\nwhere can I buy a gift card');
    await page.locator('#answer_zh').fill('您好，礼品卡可以在“我的-礼品卡”页面购买。');
    await submit('#save');
    assert.match(page.url(), /\/admin\/kb\/faq\/gift-cards\?saved=1$/);
    assert.match(shopFile(), /id: gift-cards/);
    await until('the new FAQ to be live', () => liveFaq('gift-cards'));
    assert.equal(decide(server.knowledge.current, '礼品卡怎么买').faqId, 'gift-cards');
  });

  it('shows a validation error next to the answer field and keeps what was typed', async () => {
    await goto('/admin/kb/new');
    await page.locator('#id').fill('no-answer-yet');
    await page.locator('#category').fill('shop');
    await page.locator('#question_zh').fill('你们有实体店吗？');
    await submit('#save');
    assert.match(await page.locator('fieldset:has(#answer_zh) #answer-error').innerText(), /needs at least one of zh or en/);
    assert.match(await page.locator('[role=alert]').first().innerText(), /not saved/);
    assert.equal(await page.locator('#question_zh').inputValue(), '你们有实体店吗？');
    assert.doesNotMatch(shopFile(), /no-answer-yet/);
  });

  it('"try it" shows the full decision for a message against the unsaved draft', async () => {
    const before = shopFile();
    await goto('/admin/kb/faq/ship-time');
    await page.locator('#answer_zh').fill('草稿答复：订单付款后当天发出。');
    await page.getByLabel('Customer message').fill('什么时候发货');
    await submit('button[formaction="/admin/kb/try"]');
    const decision = await page.locator('#decision').innerText();
    assert.match(decision, /Action\s+answer with FAQ ship-time/);
    assert.match(decision, /Matched terms\s+.*发/);
    assert.match(decision, /Reply\s+.*草稿答复：订单付款后当天发出。/);
    assert.match(decision, /Suggested reply for an agent/);
    assert.equal(await page.locator('#answer_zh').inputValue(), '草稿答复：订单付款后当天发出。', 'the draft stays in the editor');
    assert.equal(shopFile(), before, 'nothing saved');
    assert.doesNotMatch(decide(server.knowledge.current, '什么时候发货').reply, /草稿答复/);
  });

  it('tells the editor when someone else changed the FAQ meanwhile, and keeps their text', async () => {
    await goto('/admin/kb/faq/refund-time');
    writeFileSync(join(kbDir, 'faqs', 'shop.yaml'), shopFile().replace('退款会在1-3个工作日内原路退回', '退款会在1-5个工作日内原路退回'));
    const mine = '您好，退款会在24小时内原路退回。';
    await page.locator('#answer_zh').fill(mine);
    await submit('#save');
    assert.match(await page.locator('[role=alert]').innerText(), /changed by someone else/);
    assert.equal(await page.locator('#answer_zh').inputValue(), mine);
    assert.match(shopFile(), /1-5个工作日/, 'the other edit is kept');
    assert.ok(!shopFile().includes(mine));
  });

  it('lists what customers asked that the KB cannot answer; creates an FAQ from it and adds another phrasing as its alternate', async () => {
    for (const text of ['支持分期付款吗', '可以分期付款吗']) {
      const client = await customer();
      await client.say(text);
      await client.reply();
    }
    await goto('/admin/gaps');
    const gap = page.locator('article', { hasText: '分期付款' }).first();
    assert.match(await gap.innerText(), /Asked 2 times/);
    await Promise.all([page.waitForEvent('load'), gap.getByRole('button', { name: 'Create FAQ from this question' }).click()]);
    assert.equal(await page.locator('#question_zh').inputValue(), '支持分期付款吗');
    await page.locator('#id').fill('installments');
    await page.locator('#category').fill('shop');
    await page.locator('#answer_zh').fill('您好，单笔订单满600元可以选择信用卡分期。');
    await submit('#save');
    assert.match(page.url(), /\/admin\/kb\/faq\/installments\?saved=1$/);
    await until('the installments FAQ to be live', () => liveFaq('installments'));

    await goto('/admin/gaps');
    const again = page.locator('article', { hasText: '分期付款' }).first();
    await again.getByLabel('Phrasing').fill('可以分期付款吗');
    await again.getByLabel('Add as alternate to FAQ').selectOption('installments');
    await Promise.all([page.waitForEvent('load'), again.getByRole('button', { name: 'Add as alternate' }).click()]);
    assert.match(page.url(), /\/admin\/kb\/faq\/installments\?saved=1$/);
    assert.match(await page.locator('#alternates').inputValue(), /可以分期付款吗/);
    await until('the alternate to be live', () => liveFaq('installments')?.alternates.includes('可以分期付款吗'));
  });

  it('deletes an FAQ once confirmed: only its lines leave the file and the bot stops answering with it; an FAQ regression cases expect is refused', async () => {
    const before = shopFile();
    await goto('/admin/kb/faq/password-reset');
    await submit('#delete');
    assert.equal(await page.locator('h1').innerText(), 'Delete FAQ password-reset?');
    assert.match(await page.locator('main').innerText(), /faqs\/shop\.yaml/);
    writeFileSync(join(kbDir, 'tests.jsonl'), '{"text":"忘记密码怎么办","expect":"password-reset"}\n');
    await submit('#confirm-delete');
    assert.match(await page.locator('main').innerText(), /Not deleted: FAQ "password-reset" is expected by 1 case \(tests\.jsonl:1\)/);
    assert.equal(shopFile(), before, 'nothing deleted');

    rmSync(join(kbDir, 'tests.jsonl'));
    await goto('/admin/kb/faq/password-reset');
    await submit('#delete');
    await submit('#confirm-delete');
    assert.match(page.url(), /\/admin\/kb\?removed=password-reset$/);
    assert.match(await page.locator('[role=status]').innerText(), /Deleted FAQ password-reset/);
    const lines = before.split('\n');
    const at = lines.indexOf('  - id: password-reset');
    assert.equal(shopFile(), [...lines.slice(0, at), ...lines.slice(at + 4)].join('\n'), 'only its lines are gone');
    assert.equal(await page.getByRole('link', { name: 'password-reset' }).count(), 0);
    await until('the FAQ to leave the live KB', () => liveFaq('password-reset') === undefined);
    assert.notEqual(decide(server.knowledge.current, '忘记密码怎么办').faqId, 'password-reset');
    const last = JSON.parse(readFileSync(join(kbDir, 'audit.jsonl'), 'utf8').trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
    assert.deepEqual([last['who'], last['action'], last['faq']], ['admin (token)', 'remove', 'password-reset']);
  });

  it('lets the admin answer a handed-off customer: the reply reaches the customer\'s chat', async () => {
    const client = await customer();
    await client.say('转人工 <img src=x onerror=alert(1)> 我的手机是13812345678');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    await goto('/admin/conversations');
    const card = page.locator('article', { hasText: 'Customer asked for a person' }).first();
    const text = await card.innerText();
    assert.match(text, /Ticket T\d{4}-\w{5}/);
    assert.match(text, /waiting/);
    assert.match(text, /138\*\*\*\*5678/, 'personal data masked');
    assert.ok(!text.includes('13812345678'));
    assert.match(text, /<img src=x onerror=alert\(1\)>/, 'markup shown as text');
    assert.equal(await card.locator('img').count(), 0);
    await card.getByLabel('Your name').fill('小林');
    await card.getByLabel('Reply to the customer').fill('您好，我是客服小林，请问有什么可以帮您？');
    await Promise.all([page.waitForEvent('load'), card.getByRole('button', { name: 'Send', exact: true }).click()]);
    const reply = await client.next((f) => f.type === 'message' && f.from === 'agent');
    assert.equal(reply.type === 'message' && reply.text, '您好，我是客服小林，请问有什么可以帮您？');
    assert.match(await page.locator('article', { hasText: 'Customer asked for a person' }).first().innerText(), /with 小林/);

    await Promise.all([page.waitForEvent('load'), page.locator('article', { hasText: 'Customer asked for a person' }).first().getByRole('button', { name: 'Resolve' }).click()]);
    await client.next((f) => f.type === 'status' && f.status === 'bot');
    await client.say('5');
    await client.reply();
    await client.say('很满意');
    // The thanks comes after the rating is stored.
    await client.reply();
    assert.equal(await page.locator('article', { hasText: 'Customer asked for a person' }).count(), 0, 'resolved conversations leave the list');
  });

  it('shows the dashboard with charts and plausible numbers', async () => {
    await goto('/admin/dashboard');
    assert.ok((await page.locator('svg.chart').count()) >= 6, 'a chart per panel');
    const total = Number(await page.locator('#conversations-total').innerText());
    assert.ok(total >= 4, `conversations counted: ${total}`);
    assert.match(await page.locator('#deflection-share').innerText(), /^\d+%$/);
    assert.match(await page.locator('#first-response').innerText(), /^\d+ (s|min)/);
    const reasons = await page.locator('section[aria-labelledby=reasons] svg').getAttribute('aria-label');
    assert.match(reasons ?? '', /Customer asked for a person 1/);
    const faqs = await page.locator('section[aria-labelledby=top-faqs] svg').getAttribute('aria-label');
    assert.match(faqs ?? '', /invoice-get/);
    assert.match(await page.locator('section[aria-labelledby=csat]').innerText(), /5\.0 average of 1 rating/);
    assert.deepEqual(problems, []);
  });
});
