import assert from 'node:assert/strict';
import { Lexicon } from '../../src/intents/lexicon.js';
import { FAQ_MATCHER_OPTIONS } from '../../src/intents/matcher-options.js';
import { Matcher, NONE_LABEL, type Phrasing } from '../../src/intents/matcher.js';
import { mulberry32 } from '../../src/intents/softmax.js';

const phrasings: Phrasing[] = [
  ...['下单后多久发货', '什么时候发货', 'when will my order ship', 'how soon do you dispatch'].map((text) => ({ text, label: 'ship', field: 'alternate' as const })),
  ...['退款多久到账', '钱什么时候退回来', 'how long does a refund take', 'when do I get my money back'].map((text) => ({ text, label: 'refund', field: 'alternate' as const })),
  ...['怎么开发票', '电子发票怎么申请', 'how do I get an invoice', 'can I have a receipt'].map((text) => ({ text, label: 'invoice', field: 'alternate' as const })),
  ...['帮我写一首诗', 'tell me a joke'].map((text) => ({ text, label: NONE_LABEL, field: 'negative' as const })),
];
const lexicon = new Lexicon([
  { id: 'ship', terms: ['发货', '寄出', '出库', 'ship', 'dispatch', 'send out'] },
  { id: 'refund', terms: ['退款', '钱退回', 'refund', 'money back'] },
]);
const matcher = Matcher.build(phrasings, lexicon);

describe('Matcher', () => {
  const table: Array<[string, string]> = [
    ['我的订单什么时候发货啊', 'ship'],
    ['訂單什麼時候發貨', 'ship'],
    ['东西几时寄出', 'ship'],
    ['when do you send out parcels', 'ship'],
    ['退款几天到账', 'refund'],
    ['I want my money back, how long', 'refund'],
    ['發票怎麼開', 'invoice'],
    ['need an invoice please', 'invoice'],
  ];
  for (const [text, expected] of table) {
    it(`ranks "${text}" to ${expected}`, () => {
      assert.equal(matcher.match(text).candidates[0]?.faqId, expected);
    });
  }

  it('counts only content, not asking words, as evidence for the best FAQ', () => {
    const asking = new Lexicon([{ id: 'when', terms: ['什么时候', '多久', 'how long', 'when'] }, { id: 'ship', terms: ['发货', 'ship'] }], [], ['when']);
    const m = Matcher.build(phrasings, asking);
    assert.deepEqual(m.match('我男朋友什么时候回来').evidence, [], 'shares only 什么时候 with the shipping FAQ');
    assert.deepEqual(m.match('how long is the movie').evidence, []);
    assert.ok(m.match('什么时候发货').evidence.includes('~ship'));
  });

  it('matches a paraphrase through a lexicon concept it shares with no word', () => {
    const r = matcher.match('出库了吗');
    assert.equal(r.candidates[0]?.faqId, 'ship');
    assert.ok(r.why.includes('~ship'), r.why.join(','));
  });

  it('explains the match with shared words', () => {
    assert.ok(matcher.match('退款多久').why.includes('退款'));
  });

  it('scores a negative example as none', () => {
    const r = matcher.match('给我写一首诗吧');
    assert.ok(r.noneScore > (r.candidates[0]?.confidence ?? 0));
  });

  it('never ranks the none label as an FAQ and returns at most k candidates', () => {
    const r = matcher.match('发货 退款 发票', 2);
    assert.equal(r.candidates.length, 2);
    assert.ok(r.candidates.every((c) => c.faqId !== NONE_LABEL));
  });

  it('gives an empty ranking for text with no known feature', () => {
    assert.deepEqual(matcher.match('😀😀').candidates, []);
    assert.deepEqual(matcher.match('').candidates, []);
  });

  it('keeps every confidence in [0, 1], sorted, for random input (property)', () => {
    const random = mulberry32(42);
    const alphabet = 'abc xyz发货退款票的吗？!😀 \u200b１';
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const cs = matcher.match(text).candidates;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]!;
        assert.ok(c.confidence >= 0 && c.confidence <= 1, `${text}: ${c.confidence}`);
        if (i > 0) assert.ok(cs[i - 1]!.confidence >= c.confidence);
      }
    }
  });

  it('gives FAQs calibrated confidences: each in [0, 1], best first, together at most 1, high for a clear question and low off topic', () => {
    const faq = Matcher.build(phrasings, lexicon, FAQ_MATCHER_OPTIONS);
    const random = mulberry32(7);
    const alphabet = 'abc xyz发货退款票的吗？!😀 \u200b１';
    for (let n = 0; n < 200; n++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const cs = faq.match(text).candidates;
      assert.ok(cs.reduce((sum, c) => sum + c.confidence, 0) <= 1 + 1e-9, text);
      cs.forEach((c, i) => assert.ok(c.confidence >= 0 && c.confidence <= 1 && (i === 0 || cs[i - 1]!.confidence >= c.confidence), text));
    }
    const clear = faq.match('退款多久到账').candidates[0];
    assert.equal(clear?.faqId, 'refund');
    assert.ok(clear.signals, 'the top candidate says what its confidence came from');
    assert.ok(clear.confidence > 0.8, `clear: ${clear.confidence}`);
    assert.ok((faq.match('how do I renew my passport').candidates[0]?.confidence ?? 0) < 0.2);
  });

  it('builds the same model twice from the same phrasings (seeded training)', () => {
    const again = Matcher.build(phrasings, lexicon);
    assert.deepEqual(again.match('退款多久').candidates, matcher.match('退款多久').candidates);
  });

  it('rebuilds after an edit from the old model, learning a new FAQ and keeping the others', () => {
    const edited: Phrasing[] = [
      ...phrasings,
      { text: '你们有实体店吗', label: 'store', field: 'question' },
      { text: 'do you have a physical shop', label: 'store', field: 'alternate' },
    ];
    const next = matcher.rebuild(edited);
    assert.equal(next.match('线下有实体店可以去看看吗').candidates[0]?.faqId, 'store');
    assert.equal(next.match('退款几天到账').candidates[0]?.faqId, 'refund');
    assert.equal(matcher.match('线下有实体店可以去看看吗').candidates[0]?.faqId === 'store', false);
  });

  it('rebuilds a small KB as if built from scratch, so edit after edit does not drift', () => {
    let next = matcher;
    for (let i = 0; i < 5; i++) next = next.rebuild([...phrasings, { text: `第${i}个新问题`, label: 'refund', field: 'alternate' }]);
    const fresh = Matcher.build([...phrasings, { text: '第4个新问题', label: 'refund', field: 'alternate' }], lexicon);
    for (const text of ['退款多久', '怎么开发票', 'when will it ship']) assert.deepEqual(next.match(text).candidates, fresh.match(text).candidates, text);
  });

  it('gives function words little weight, so a shared 吗 does not decide the match', () => {
    const withStop = Matcher.build(phrasings, new Lexicon([], ['吗', '可以']));
    assert.equal(withStop.match('可以开发票吗').candidates[0]?.faqId, 'invoice');
  });

  it('uses sampled training for many FAQs and still ranks them', () => {
    const many: Phrasing[] = [];
    for (let k = 0; k < 260; k++) {
      for (const v of ['how do i', 'what about', 'tell me about']) many.push({ text: `${v} topic${k} item${k}`, label: `faq${k}`, field: 'alternate' });
    }
    const big = Matcher.build(many, new Lexicon([]));
    assert.equal(big.match('question about topic123 item123').candidates[0]?.faqId, 'faq123');
  });
});
