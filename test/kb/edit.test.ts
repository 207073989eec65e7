import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addAlternate, AUDIT_LOG, EditError, faqVersion, saveFaq, type FaqDraft } from '../../src/kb/edit.js';
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
});
