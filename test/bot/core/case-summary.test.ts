import assert from 'node:assert/strict';
import { caseSummary, noteForCase, type MessageFacts } from '../../../src/bot/core/case-summary.js';
import { NEW_CONVERSATION, recordTurn, type Conversation, type TurnRecord } from '../../../src/bot/core/conversation.js';
import { decideTurn } from '../../../src/bot/core/decide.js';
import { buildFaqIndex, type FaqIndex } from '../../../src/bot/core/faq-index.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { languageData } from '../../../src/kb/language-data.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const TYPED: MessageFacts = { pressedButton: false, smalltalk: false, asksForPerson: false, recognised: false };

/** A conversation of customer messages, each with what the bot did and what the message gave the case. */
function conversation(...turns: (Pick<TurnRecord, 'action' | 'faqId'> & { readonly text: string; readonly facts?: Partial<MessageFacts> })[]): Conversation {
  return turns.reduce((c, t) => recordTurn(c, { normalized: t.text, emotion: 0, action: t.action, faqId: t.faqId, ...noteForCase(t.text, { ...TYPED, ...t.facts }) }, 'zh'), NEW_CONVERSATION);
}

describe("the agent's case summary", () => {
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
  });
  after(cleanTempDirs);

  describe('what one message gives it', () => {
    const cases: [string, Partial<MessageFacts>, boolean][] = [
      ['快递三天没动了', {}, true],
      ['我要转人工，我的快递三天没动了', { asksForPerson: true, recognised: true }, true],
      ['转人工', { asksForPerson: true }, false],
      ['你好', { smalltalk: true }, false],
      ['13812345678，下午打给我', {}, false],
      ['my email is zhang.wei@example.com', {}, false],
      ['DD20261127001', {}, false],
      ['123456', {}, false],
      ['👍', {}, false],
      ['订单 DD20261127001 还没发货，电话13812345678', { recognised: true }, true],
    ];
    for (const [text, facts, about] of cases) {
      it(`${about ? 'takes' : 'does not take'} ${JSON.stringify(text)} as the problem`, () => {
        const note = noteForCase(text, { ...TYPED, ...facts });
        assert.equal(note.aboutProblem, about);
        assert.doesNotMatch(note.said, /13812345678|zhang\.wei/, 'masked');
      });
    }

    it("keeps nothing of a tapped button's label", () => {
      assert.deepEqual(noteForCase('转人工客服', { ...TYPED, pressedButton: true }), { said: '', aboutProblem: false });
    });
  });

  it('tells the problem from the last two things the bot could not simply answer, and lists what it did answer', () => {
    const c = conversation(
      { text: '下单后多久发货？', action: 'answer', faqId: 'ship-time', facts: { recognised: true } },
      { text: '你好', action: 'smalltalk', faqId: null, facts: { smalltalk: true } },
      { text: '我的快递三天没动了', action: 'none', faqId: null },
      { text: 'DD20261127001', action: 'none', faqId: null },
      { text: '退款多久到账？', action: 'answer', faqId: 'refund-time', facts: { recognised: true } },
      { text: '下单后多久发货？', action: 'answer', faqId: 'ship-time', facts: { recognised: true } },
      { text: '物流一直不更新，电话13812345678', action: 'clarify', faqId: null, facts: { recognised: true } },
      { text: '13987651234，下午打给我', action: 'none', faqId: null },
      { text: '转人工', action: 'handoff', faqId: null, facts: { asksForPerson: true } },
    );
    assert.deepEqual(caseSummary(index, c, 'zh'), {
      problem: '我的快递三天没动了 / 物流一直不更新，电话138****5678',
      order: 'DD20261127001',
      answered: ['下单后多久发货？', '退款多久到账？'],
    });
    assert.deepEqual(caseSummary(index, c, 'en').answered, ['How soon will my order ship?', 'How long does a refund take?'], "in the conversation's language");
  });

  it('falls back to what the bot answered when it answered everything, the same question once', () => {
    const c = conversation(
      { text: '退款多久到账？', action: 'answer', faqId: 'refund-time', facts: { recognised: true } },
      { text: '退款多久到账？', action: 'answer', faqId: 'refund-time', facts: { recognised: true } },
      { text: '转人工', action: 'handoff', faqId: null, facts: { asksForPerson: true } },
    );
    assert.equal(caseSummary(index, c, 'zh').problem, '退款多久到账？');
  });

  it('says nothing of a problem the customer has not described', () => {
    const c = conversation({ text: '你好', action: 'smalltalk', faqId: null, facts: { smalltalk: true } }, { text: '转人工', action: 'handoff', faqId: null, facts: { asksForPerson: true } });
    assert.deepEqual(caseSummary(index, c, 'zh'), { problem: '', order: null, answered: [] });
  });

  it("takes a complaint's problem from what the intake collected, and never its contact step", () => {
    const c = conversation({ text: '我要投诉，快递员态度太差了', action: 'handoff', faqId: null });
    const s = caseSummary(index, c, 'zh', { what: '包裹被扔在门口淋湿了，打 13812345678 也不接', wanted: '退款', order: '订单号是 DD20261127001' });
    assert.deepEqual(s, { problem: '包裹被扔在门口淋湿了，打 138****5678 也不接 / 退款', order: 'DD20261127001', answered: [] });
    assert.equal(caseSummary(index, c, 'zh', { what: '包裹被扔在门口', wanted: '', order: '昨天买的耳机那单' }).order, '昨天买的耳机那单', 'an order described in words is kept as typed');
    assert.equal(caseSummary(index, c, 'zh', { what: '包裹被扔在门口', wanted: '', order: '' }).order, null);
  });

  it('records a clarification and the "talk to a person" button after it so the problem is the question, not the button', () => {
    const asked = decideTurn(index, { ...NEW_CONVERSATION, lang: 'en' }, { text: 'my order' });
    assert.equal(asked.decision.action, 'clarify');
    const pressed = decideTurn(index, asked.conversation, { text: 'Talk to a person', asksForHuman: true });
    assert.equal(pressed.decision.action, 'handoff');
    assert.equal(caseSummary(index, pressed.conversation, 'en').problem, 'my order');
  });
});
