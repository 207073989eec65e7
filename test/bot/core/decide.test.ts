import assert from 'node:assert/strict';
import { decide } from '../../../src/bot/core/decide.js';
import { buildFaqIndex, type FaqIndex } from '../../../src/bot/core/faq-index.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { languageData } from '../../../src/kb/language-data.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

describe('decide', () => {
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
  });
  after(cleanTempDirs);

  it('answers a clear question in Chinese with the Chinese answer', () => {
    const d = decide(index, '请问下单以后多久能发货？');
    assert.equal(d.action, 'answer');
    assert.equal(d.faqId, 'ship-time');
    assert.equal(d.lang, 'zh');
    assert.match(d.reply, /48小时/);
  });

  it('answers Traditional Chinese from the same KB', () => {
    const d = decide(index, '退款多久會到帳？');
    assert.equal(d.faqId, 'refund-time');
    assert.equal(d.lang, 'zh');
  });

  it('answers in English when the customer writes English', () => {
    const d = decide(index, 'how long will my refund take?');
    assert.equal(d.action, 'answer');
    assert.equal(d.lang, 'en');
    assert.match(d.reply, /working days/);
  });

  it('hands an "always human" FAQ to a person with the reason and the FAQ\'s own answer', () => {
    const d = decide(index, '价格比别家贵了能补差价吗');
    assert.equal(d.action, 'handoff');
    assert.equal(d.handoffReason, 'faq_always_human');
    assert.equal(d.faqId, 'price-match');
    assert.match(d.reply, /专员/);
  });

  it('declines an off-topic message politely', () => {
    const d = decide(index, '帮我写一首关于秋天的诗');
    assert.equal(d.action, 'none');
    assert.equal(d.faqId, null);
    assert.match(d.reply, /抱歉/);
  });

  it('asks which question was meant when two FAQs are equally close', () => {
    const d = decide(index, 'refund invoice', { answerThreshold: 0.99, clarifyThreshold: 0.01 });
    assert.equal(d.action, 'clarify');
    assert.ok(d.suggestions.length >= 2);
    assert.match(d.reply, /which/i);
  });

  it('does not offer one weak FAQ as "did you mean": the apology and a person serve better', () => {
    const d = decide(index, 'about my order');
    assert.equal(d.action, 'none');
    assert.ok(d.suggestions.length <= 1);
  });

  it('returns none below the clarify threshold and answer above the answer threshold', () => {
    assert.equal(decide(index, '什么时候发货', { answerThreshold: 1, clarifyThreshold: 1 }).action, 'none');
    assert.equal(decide(index, '什么时候发货', { answerThreshold: 0, clarifyThreshold: 0 }).action, 'answer');
  });

  const hostile: Array<[string, string]> = [
    ['empty', ''],
    ['whitespace only', ' \t\n  '],
    ['100 KB', '发货'.repeat(51_200)],
    ['binary-looking', '\u0000\u0001\u0002\ufffd\ud800PK\u0003\u0004'],
    ['emoji only', '😡😡😡👍'],
    ['mixed scripts', 'Привет مرحبا 退款 refund こんにちは'],
  ];
  for (const [name, text] of hostile) {
    it(`gives a decision, not a crash, for ${name} input`, () => {
      const d = decide(index, text);
      assert.ok(['answer', 'clarify', 'none', 'handoff', 'smalltalk'].includes(d.action));
      assert.equal(typeof d.reply, 'string');
      assert.ok(d.reply.length > 0);
    });
  }

  it('greets an empty message instead of apologising', () => {
    assert.equal(decide(index, '   ').action, 'none');
    assert.match(decide(index, '   ').reply, /帮您|help/);
  });
});

describe('decide on the demo KB: evidence, not asking words', () => {
  let demo: FaqIndex;
  before(() => {
    demo = buildFaqIndex(loadKnowledgeBase(new URL('../../../knowledge-base', import.meta.url).pathname), languageData());
  });

  // Each of these shares only how it asks (什么时候, how much, how long) with a shipping FAQ, which they used to get as the answer.
  for (const text of ['什么时候下雨', 'how much do you weigh', 'how long is a marathon']) {
    it(`does not answer or offer a shipping FAQ for "${text}"`, () => {
      const d = decide(demo, text);
      assert.notEqual(d.action, 'answer');
      assert.notEqual(d.action, 'clarify');
    });
  }

  it('still answers the shipping question that asks the same way', () => {
    const d = decide(demo, '什么时候发货');
    assert.equal(d.action, 'answer');
    assert.equal(d.faqId, 'shipping-when-dispatch');
  });
});
