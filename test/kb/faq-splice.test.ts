import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { appendFaqText, removeFaqText, replaceFaqText, type FaqFields } from '../../src/kb/faq-splice.js';

/** An FAQ file as people write them: every style the editor must leave alone. */
const VARIED = `# Shop FAQs — kept by the support team.
category: shop
faqs:
  # Shipping first: the most asked.
  - id: ship-time
    question: { zh: 下单后多久发货？, en: How soon will my order ship? }
    alternates: [什么时候发货, 订单几天能发出]
    answer:
      zh: |
        您好，订单会在付款后48小时内发货。
        节假日顺延。
      en: >
        Orders ship within 48 hours
        of payment.
    tags: [shipping, 发货]   # used by the dashboard

  - id: refund-time
    question:
      zh: 退款多久到账？
      en: "How long does a refund take?"
    alternates:
      - 退款什么时候到
      - 'when will I get my refund'   # the most common English wording
    answer:
      zh: |-
        您好，退款会在1-3个工作日内原路退回。
      en: Refunds reach your original payment method in 1-3 working days.

  # Invoices
  - id: invoice-get
    category: billing
    question: {zh: 怎么开发票？}
    answer: {zh: 您好，您可以在订单详情页申请电子发票。}
    handoff: true
# end of the FAQs
`;

const parsed = (text: string): Record<string, unknown>[] => (parseDocument(text).toJS() as { faqs: Record<string, unknown>[] }).faqs;
/** The FAQ as the loader would hand it over (trimmed text). */
const shipTime: FaqFields = {
  id: 'ship-time',
  question: { zh: '下单后多久发货？', en: 'How soon will my order ship?' },
  alternates: ['什么时候发货', '订单几天能发出'],
  answer: { zh: '您好，订单会在付款后48小时内发货。\n节假日顺延。', en: 'Orders ship within 48 hours of payment.' },
  handoff: false,
};
const refundTime: FaqFields = {
  id: 'refund-time',
  question: { zh: '退款多久到账？', en: 'How long does a refund take?' },
  alternates: ['退款什么时候到', 'when will I get my refund'],
  answer: { zh: '您好，退款会在1-3个工作日内原路退回。', en: 'Refunds reach your original payment method in 1-3 working days.' },
  handoff: false,
};

/** Asserts `after` is `before` with lines [from, to) (1-based, of `before`) replaced, and returns the new lines. */
function onlyLinesChanged(before: string, after: string, from: number, to: number): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const head = a.slice(0, from - 1);
  const tail = a.slice(to - 1);
  assert.deepEqual(b.slice(0, head.length), head, 'the lines above the FAQ are unchanged');
  assert.deepEqual(b.slice(b.length - tail.length), tail, 'the lines below the FAQ are unchanged');
  return b.slice(head.length, b.length - tail.length);
}

describe('editing one FAQ in the text of its file', () => {
  it('changes only the lines of the field that changed: block scalars, flow lists, comments and blank lines elsewhere stay byte for byte', () => {
    const draft = { ...refundTime, answer: { ...refundTime.answer, zh: '您好，退款会在24小时内原路退回。' } };
    const after = replaceFaqText('faqs/shop.yaml', VARIED, refundTime, draft);
    assert.deepEqual(onlyLinesChanged(VARIED, after, 25, 27), ['      zh: |-', '        您好，退款会在24小时内原路退回。'], 'the block keeps its chomping');
    assert.equal((parsed(after)[1]?.['answer'] as Record<string, string>)['zh'], '您好，退款会在24小时内原路退回。');
  });

  it('keeps a | block a | block when its text changes, and the folded answer and flow question beside it as written', () => {
    const draft = { ...shipTime, answer: { ...shipTime.answer, zh: '您好，订单会在付款后24小时内发货。\n节假日顺延。' } };
    const after = replaceFaqText('faqs/shop.yaml', VARIED, shipTime, draft);
    assert.deepEqual(onlyLinesChanged(VARIED, after, 9, 12), ['      zh: |', '        您好，订单会在付款后24小时内发货。', '        节假日顺延。']);
  });

  it('rewrites a flow-style question or alternates list on its own line, keeping it in flow style with its padding', () => {
    const draft = { ...shipTime, question: { ...shipTime.question, en: 'When will my order ship?' }, alternates: [...shipTime.alternates, '多久发货'] };
    const after = replaceFaqText('faqs/shop.yaml', VARIED, shipTime, draft);
    assert.deepEqual(onlyLinesChanged(VARIED, after, 6, 8), ['    question: { zh: 下单后多久发货？, en: When will my order ship? }', '    alternates: [什么时候发货, 订单几天能发出, 多久发货]']);
  });

  it('rewrites a block alternates list keeping the alternates it had as written (quotes, comments)', () => {
    const draft = { ...refundTime, alternates: ['when will I get my refund', '钱多久退回来'] };
    const after = replaceFaqText('faqs/shop.yaml', VARIED, refundTime, draft);
    assert.deepEqual(onlyLinesChanged(VARIED, after, 21, 24), ['    alternates:', "      - 'when will I get my refund' # the most common English wording", '      - 钱多久退回来']);
  });

  it('drops a language the editor emptied, and adds one in its place (zh before en)', () => {
    const dropped = replaceFaqText('faqs/shop.yaml', VARIED, refundTime, { ...refundTime, question: { zh: '退款多久到账？' } });
    assert.deepEqual(onlyLinesChanged(VARIED, dropped, 20, 21), []);
    const onlyEn = { ...refundTime, question: { en: 'How long does a refund take?' } };
    const back = replaceFaqText('faqs/shop.yaml', replaceFaqText('faqs/shop.yaml', VARIED, refundTime, onlyEn), onlyEn, refundTime);
    assert.equal(back, VARIED, 'zh back above en, en as it was');
  });

  it('writes hostile text so that it reads back exactly: YAML syntax, comments, document markers and indentation in an answer', () => {
    const texts = ['key: value # not a comment', '- not a list\n---\n...\n  indented', "'quoted' \"double\" & *alias !tag %dir @at `tick`", '   leading spaces\ttab', '|\n>\n{ [ ] }', '\u202e\u200b零宽 emoji 😀', 'x'.repeat(5000), 'windows\r\nline\rbreaks'];
    for (const zh of texts) {
      const after = replaceFaqText('faqs/shop.yaml', VARIED, refundTime, { ...refundTime, answer: { ...refundTime.answer, zh } });
      assert.equal((parsed(after)[1]?.['answer'] as Record<string, string>)['zh'], zh, JSON.stringify(zh.slice(0, 30)));
      assert.deepEqual(parsed(after).filter((_, i) => i !== 1), parsed(VARIED).filter((_, i) => i !== 1));
      const added = appendFaqText('faqs/shop.yaml', VARIED, { ...refundTime, id: 'new', answer: { zh } });
      assert.equal((parsed(added)[3]?.['answer'] as Record<string, string>)['zh'], zh);
    }
  });

  it('adds and removes fields of the edited FAQ only: alternates after the question, handoff at the end', () => {
    const invoice: FaqFields = { id: 'invoice-get', question: { zh: '怎么开发票？' }, alternates: [], answer: { zh: '您好，您可以在订单详情页申请电子发票。' }, handoff: true };
    const after = replaceFaqText('faqs/shop.yaml', VARIED, invoice, { ...invoice, alternates: ['发票怎么申请'], handoff: false });
    const changed = onlyLinesChanged(VARIED, after, 30, 35);
    assert.deepEqual(changed, ['  - id: invoice-get', '    category: billing', '    question: {zh: 怎么开发票？}', '    alternates:', '      - 发票怎么申请', '    answer: {zh: 您好，您可以在订单详情页申请电子发票。}']);
  });

  it('appends a new FAQ after the last one, set off by a blank line like the others, touching nothing above', () => {
    const after = appendFaqText('faqs/shop.yaml', VARIED, { id: 'gift-cards', question: { zh: '你们卖礼品卡吗？' }, alternates: ['礼品卡怎么买'], answer: { zh: '您好，\n礼品卡在“我的”页面购买。' }, handoff: false });
    const added = onlyLinesChanged(VARIED, after, 35, 35);
    assert.equal(added[0], '', 'a blank line before it');
    assert.equal(added[1], '  - id: gift-cards');
    assert.deepEqual(parsed(after).map((f) => f['id']), ['ship-time', 'refund-time', 'invoice-get', 'gift-cards']);
    assert.ok(after.endsWith('# end of the FAQs\n'));
  });

  it('removes an FAQ\'s lines and the blank line that set it off, and keeps the comments around it', () => {
    const after = removeFaqText('faqs/shop.yaml', VARIED, 'refund-time');
    onlyLinesChanged(VARIED, after, 16, 28);
    assert.deepEqual(parsed(after).map((f) => f['id']), ['ship-time', 'invoice-get']);
    assert.match(after, /# Invoices\n {2}- id: invoice-get/);
    const first = removeFaqText('faqs/shop.yaml', VARIED, 'ship-time');
    assert.deepEqual(parsed(first).map((f) => f['id']), ['refund-time', 'invoice-get']);
    assert.match(first, /# Shipping first: the most asked\.\n {2}- id: refund-time/);
    const last = removeFaqText('faqs/shop.yaml', VARIED, 'invoice-get');
    assert.deepEqual(parsed(last).map((f) => f['id']), ['ship-time', 'refund-time']);
    assert.ok(last.endsWith('# end of the FAQs\n'));
  });

  it('keeps Windows line breaks in a CRLF file, for the edited lines too', () => {
    const crlf = VARIED.replace(/\n/g, '\r\n');
    const draft = { ...refundTime, alternates: [...refundTime.alternates, '钱多久退回来'] };
    const after = replaceFaqText('faqs/shop.yaml', crlf, refundTime, draft);
    assert.doesNotMatch(after, /[^\r]\n/, 'every line ends in CRLF');
    assert.equal(after.replace(/\r\n/g, '\n'), replaceFaqText('faqs/shop.yaml', VARIED, refundTime, draft));
    const removed = removeFaqText('faqs/shop.yaml', crlf, 'refund-time');
    assert.equal(removed.replace(/\r\n/g, '\n'), removeFaqText('faqs/shop.yaml', VARIED, 'refund-time'));
  });

  it('handles FAQs at the list\'s own indentation (- at column 0) and a last line without a line break', () => {
    const flat = 'category: shop\nfaqs:\n- id: a\n  question: {zh: 问题一}\n  answer: {zh: 答案一}\n- id: b\n  question: {zh: 问题二}\n  answer: {zh: 答案二}';
    const was: FaqFields = { id: 'a', question: { zh: '问题一' }, alternates: [], answer: { zh: '答案一' }, handoff: false };
    const after = replaceFaqText('faqs/shop.yaml', flat, was, { ...was, answer: { zh: '新答案' } });
    assert.equal(after, flat.replace('答案一', '新答案'));
    const appended = appendFaqText('faqs/shop.yaml', flat, { ...was, id: 'c' });
    assert.deepEqual(parsed(appended).map((f) => f['id']), ['a', 'b', 'c']);
    assert.ok(appended.startsWith(flat), 'nothing above it changes');
  });

  it('prints a file whole only when its FAQ list has no lines to splice (a flow list, the last FAQ removed)', () => {
    const flow = 'category: shop\nfaqs: [{id: a, question: {zh: 问}, answer: {zh: 答}}]\n';
    const was: FaqFields = { id: 'a', question: { zh: '问' }, alternates: [], answer: { zh: '答' }, handoff: false };
    assert.equal(parsed(replaceFaqText('f.yaml', flow, was, { ...was, answer: { zh: '新' } }))[0]?.['answer'] && 'ok', 'ok');
    assert.deepEqual(parsed(removeFaqText('f.yaml', 'category: shop\nfaqs:\n  - id: a\n    question: {zh: 问}\n    answer: {zh: 答}\n', 'a')), []);
    assert.deepEqual(parsed(appendFaqText('f.yaml', 'category: shop\nfaqs: []\n', was)).map((f) => f['id']), ['a']);
  });
});
