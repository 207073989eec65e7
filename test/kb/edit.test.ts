import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addAlternate, AUDIT_LOG, EditError, faqVersion, removeFaq, saveFaq, type FaqDraft } from '../../src/kb/edit.js';
import { KbError } from '../../src/kb/errors.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../helpers/temp-kb.js';

const giftCards: FaqDraft = {
  id: 'gift-cards',
  category: 'shop',
  question: { zh: '你们卖礼品卡吗？', en: 'Do you sell gift cards?' },
  alternates: ['礼品卡怎么买'],
  answer: { zh: '您好，礼品卡可以在“我的-礼品卡”页面购买。', en: 'Gift cards are on the "Me - Gift cards" page.' },
  handoff: false,
};

describe('editing a KB from the app', () => {
  after(cleanTempDirs);

  it('adds an FAQ to its category file, keeps the file\'s comments, and records who did it', () => {
    const dir = shopKb();
    const file = join(dir, 'faqs', 'shop.yaml');
    writeFileSync(file, `# Shop FAQs, kept by the support team.\n${readFileSync(file, 'utf8')}`);
    saveFaq(dir, giftCards, null, 'lin@shop', new Date('2026-11-27T10:00:00Z'));
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# Shop FAQs, kept by the support team\./);
    assert.match(text, /id: gift-cards/);
    assert.equal(loadKnowledgeBase(dir).faqs.find((f) => f.id === 'gift-cards')?.answer.zh, giftCards.answer.zh);
    const audit = readFileSync(join(dir, AUDIT_LOG), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(audit, [{ at: '2026-11-27T10:00:00.000Z', who: 'lin@shop', action: 'add', faq: 'gift-cards', file: 'faqs/shop.yaml' }]);
  });

  it('refuses the second of two concurrent edits: the FAQ changed underneath it', () => {
    const dir = shopKb();
    const opened = loadKnowledgeBase(dir).faqs.find((f) => f.id === 'ship-time');
    assert.ok(opened);
    const version = faqVersion(opened);
    // Someone edits the file directly meanwhile.
    const file = join(dir, 'faqs', 'shop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('订单会在付款后48小时内发货', '订单会在付款后24小时内发货'));
    const mine: FaqDraft = { ...opened, answer: { ...opened.answer, zh: '您好，订单会在付款后72小时内发货。' } };
    const before = readFileSync(file, 'utf8');
    assert.throws(() => saveFaq(dir, mine, version, 'wang'), (e: unknown) => e instanceof EditError && e.code === 'FAQ_CONFLICT');
    assert.equal(readFileSync(file, 'utf8'), before, 'the other edit is kept');
    const fresh = loadKnowledgeBase(dir).faqs.find((f) => f.id === 'ship-time');
    assert.ok(fresh);
    saveFaq(dir, mine, faqVersion(fresh), 'wang');
    assert.match(loadKnowledgeBase(dir).faqs.find((f) => f.id === 'ship-time')?.answer.zh ?? '', /72小时/);
  });

  it('writes nothing when the change would break the KB, and says why', () => {
    const dir = shopKb();
    const file = join(dir, 'faqs', 'shop.yaml');
    const before = readFileSync(file, 'utf8');
    assert.throws(() => saveFaq(dir, { ...giftCards, answer: {} }, null, 'lin'), (e: unknown) => e instanceof KbError && /answer/.test(e.message));
    assert.throws(() => saveFaq(dir, { ...giftCards, id: 'ship-time' }, null, 'lin'), (e: unknown) => e instanceof EditError && e.code === 'FAQ_EXISTS');
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('keeps the tags of an FAQ it edits: editors change only what the draft carries', () => {
    const dir = shopKb();
    const file = join(dir, 'faqs', 'shop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - id: refund-time\n', '  - id: refund-time\n    tags: [money, refunds]\n'));
    addAlternate(dir, 'refund-time', '退款几天到', 'lin');
    assert.deepEqual(loadKnowledgeBase(dir).faqs.find((f) => f.id === 'refund-time')?.tags, ['money', 'refunds']);
  });

  it('adds a phrasing to an FAQ once, and puts an FAQ of a new category in its own file', () => {
    const dir = shopKb();
    addAlternate(dir, 'refund-time', '钱什么时候退给我', 'lin');
    addAlternate(dir, 'refund-time', '钱什么时候退给我', 'lin');
    const refund = loadKnowledgeBase(dir).faqs.find((f) => f.id === 'refund-time');
    assert.equal(refund?.alternates.filter((a) => a === '钱什么时候退给我').length, 1);
    saveFaq(dir, { ...giftCards, category: 'gifts' }, null, 'lin');
    assert.match(readFileSync(join(dir, 'faqs', 'gifts.yaml'), 'utf8'), /category: gifts/);
  });

  it('saves one FAQ without touching a byte of the others in its file', () => {
    const dir = shopKb();
    const file = join(dir, 'faqs', 'shop.yaml');
    const styled = readFileSync(file, 'utf8').replace('  - id: invoice-get\n', '\n  # Invoices\n  - id: invoice-get\n').replace('    answer: { zh: 您好，订单会在付款后48小时内发货。, en: Orders ship within 48 hours of payment. }', '    answer:\n      zh: |\n        您好，订单会在付款后48小时内发货。\n      en: >\n        Orders ship within\n        48 hours of payment.');
    writeFileSync(file, styled);
    const opened = loadKnowledgeBase(dir).faqs.find((f) => f.id === 'refund-time');
    assert.ok(opened);
    saveFaq(dir, { ...opened, answer: { ...opened.answer, zh: '您好，退款会在24小时内原路退回。' } }, faqVersion(opened), 'lin');
    assert.equal(readFileSync(file, 'utf8'), styled.replace('退款会在1-3个工作日内原路退回', '退款会在24小时内原路退回'));
  });
});

describe('removing an FAQ', () => {
  after(cleanTempDirs);
  const shopFile = (dir: string): string => readFileSync(join(dir, 'faqs', 'shop.yaml'), 'utf8');

  it('deletes only the FAQ\'s lines and records who did it', () => {
    const dir = shopKb();
    const before = shopFile(dir);
    removeFaq(dir, 'invoice-get', null, 'cli:lin', new Date('2026-11-27T10:00:00Z'));
    const lines = before.split('\n');
    const start = lines.indexOf('  - id: invoice-get');
    assert.equal(shopFile(dir), [...lines.slice(0, start), ...lines.slice(start + 4)].join('\n'));
    assert.deepEqual(loadKnowledgeBase(dir).faqs.map((f) => f.id), ['ship-time', 'refund-time', 'password-reset', 'account-hacked', 'price-match']);
    const audit = readFileSync(join(dir, AUDIT_LOG), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(audit, [{ at: '2026-11-27T10:00:00.000Z', who: 'cli:lin', action: 'remove', faq: 'invoice-get', file: 'faqs/shop.yaml' }]);
  });

  it('refuses an unknown id, and an FAQ changed since the editor opened it', () => {
    const dir = shopKb();
    const before = shopFile(dir);
    assert.throws(() => removeFaq(dir, 'no-such-faq', null, 'lin'), (e: unknown) => e instanceof EditError && e.code === 'FAQ_NOT_FOUND' && /no FAQ "no-such-faq"/.test(e.message));
    assert.throws(() => removeFaq(dir, 'invoice-get', 'stale-version', 'lin'), (e: unknown) => e instanceof EditError && e.code === 'FAQ_CONFLICT');
    assert.equal(shopFile(dir), before);
  });

  it('refuses while regression or evaluation cases expect the FAQ, naming each (a broken line too); the audit log is no reference', () => {
    const dir = shopKb({
      'tests.jsonl': '{"text":"怎么开发票","expect":"invoice-get"}\n{"text":"多久发货","expect":"ship-time"}\n',
      'cases.jsonl': '{"text":"发票","label":"ship-time"}\n\n{"text":"开票","label":"invoice-get"}\n{"text":"broken line","expect":"invoice-get"\n',
      [AUDIT_LOG]: '{"at":"2026-11-01T00:00:00.000Z","who":"lin","action":"add","faq":"price-match","file":"faqs/shop.yaml"}\n',
    });
    const before = shopFile(dir);
    assert.throws(
      () => removeFaq(dir, 'invoice-get', null, 'lin'),
      (e: unknown) => e instanceof EditError && e.code === 'FAQ_REFERENCED' && /expected by 3 cases \(cases\.jsonl:3, cases\.jsonl:4, tests\.jsonl:1\)/.test(e.message),
    );
    assert.equal(shopFile(dir), before);
    removeFaq(dir, 'price-match', null, 'lin');
    assert.doesNotMatch(shopFile(dir), /price-match/);
  });

  it('refuses to remove the last FAQ of a KB: the KB would not load', () => {
    const dir = shopKb({ 'faqs/shop.yaml': 'category: shop\nfaqs:\n  - id: only\n    question: {zh: 问}\n    answer: {zh: 答}\n' });
    assert.throws(() => removeFaq(dir, 'only', null, 'lin'), (e: unknown) => e instanceof KbError && e.code === 'KB_EMPTY');
    assert.match(shopFile(dir), /id: only/);
  });
});
