import assert from 'node:assert/strict';
import { NEW_CONVERSATION, type Conversation } from '../../../src/bot/core/conversation.js';
import { decide, decideTurn } from '../../../src/bot/core/decide.js';
import type { Decision } from '../../../src/bot/core/decision.js';
import { buildFaqIndex, type FaqIndex } from '../../../src/bot/core/faq-index.js';
import { handoffReason, type PolicyInput } from '../../../src/bot/core/policy.js';
import { CALM } from '../../../src/intents/emotion.js';
import { languageData } from '../../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

/** A small emotion lexicon and policy of the test's own, so the rules are tested apart from the shipped word lists. */
const EMOTION = `levels: { upset: 0.25, angry: 0.55, distressed: 0.8 }
zh:
  terms: { 有点慢: 0.15, 太慢了: 0.3, 失望: 0.3, 生气: 0.45, 气死了: 0.7, 破服务: 0.6 }
  intensifiers: { 非常: 1.5 }
  negators: [不, 没]
  insults: [垃圾]
  threats: { public: [曝光], regulator: ['12315'], legal: [起诉] }
  distress: [救命]
en:
  terms: { slow: 0.15, annoyed: 0.3, furious: 0.7 }
  intensifiers: { very: 1.5 }
  negators: [not]
  insults: [idiots]
  threats: { public: [post a review], regulator: [trading standards], legal: [lawyer] }
  distress: [desperate]
`;
const POLICY = `handoff:
  emotionLevel: angry
  consecutiveMisses: 2
  repeatedQuestion: 2
  risingTurns: 3
  multiQuestion: { questions: 3, minChars: 30 }
risks:
  safety: { zh: [冒烟, 着火], en: [caught fire, electric shock] }
  fraud: { zh: [冒充客服, 让我转账], en: [scam call] }
  account_security: { zh: [账号被盗, 被别人登录], en: [account was hacked, someone logged into my account] }
  legal: { zh: [律师函], en: [sue you] }
`;

describe('the conversation policy', () => {
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(shopKb({ 'emotion.yaml': EMOTION, 'policy.yaml': POLICY })), languageData());
  });
  after(cleanTempDirs);

  function conversation(...texts: string[]): { decisions: Decision[]; state: Conversation } {
    let state = NEW_CONVERSATION;
    const decisions: Decision[] = [];
    for (const text of texts) {
      const turn = decideTurn(index, state, { text });
      decisions.push(turn.decision);
      state = turn.conversation;
    }
    return { decisions, state };
  }

  function handedOff(d: Decision, reason: string): void {
    assert.equal(d.action, 'handoff', `expected a handoff (${reason}), got ${d.action}: ${d.reply}`);
    assert.equal(d.handoffReason, reason);
    assert.ok(d.escalation, 'a handoff carries its escalation path');
    assert.match(d.escalation.channel, /^#/);
    assert.ok(d.escalation.supervisor.name);
    assert.match(d.escalation.sla.firstResponse, /^\d+(s|m|h|d|wd)$/);
    assert.ok(d.suggestedReply.length > 10);
  }

  it('answers a calm FAQ question without handing off', () => {
    for (const text of ['请问下单后多久发货', 'How long does a refund take?', '退款多久到账呀，有点慢']) {
      const d = decide(index, text);
      assert.equal(d.action, 'answer', text);
      assert.equal(d.handoffReason, null);
      assert.equal(d.escalation, null);
    }
  });

  it('hands over when the customer asks for a person, in any words', () => {
    for (const text of ['转人工', '我要人工客服', '轉真人客服', 'can I talk to a real person please', 'agent']) handedOff(decide(index, text), 'requested');
  });

  it('hands an angry customer to a human with the emotion reason and an apology', () => {
    const d = decide(index, '你们这个破服务，气死了！！！');
    handedOff(d, 'emotion');
    assert.ok(['angry', 'distressed'].includes(d.emotion.level));
    assert.match(d.reply, /抱歉|歉/);
  });

  it('answers an upset but not angry customer, with an apology before the answer', () => {
    const d = decide(index, '退款太慢了，到底多久到账');
    assert.equal(d.action, 'answer');
    assert.equal(d.emotion.level, 'upset');
    assert.match(d.reply, /^非常抱歉/);
  });

  it('hands a complaint to the team that owns its cause, restating it', () => {
    const d = decide(index, '我要投诉，你们的快递员把包裹直接扔在门口，东西都摔坏了');
    handedOff(d, 'complaint');
    assert.equal(d.intent, 'complaint');
    assert.ok(d.escalation && d.escalation.causes.length > 0);
    assert.match(d.suggestedReply, /快递员/);
  });

  const risks: [string, string][] = [
    ['safety', '充电器插上就冒烟了'],
    ['safety', 'the lamp caught fire last night'],
    ['fraud', '有人冒充客服打电话让我转账'],
    ['account_security', '我的账号被盗了，下了好几单'],
    ['account_security', 'someone logged into my account'],
    ['legal', '再不处理我就发律师函'],
    ['legal', '不退款我就打12315'],
  ];
  for (const [reason, text] of risks) {
    it(`hands over a ${reason} matter however calm: "${text}"`, () => handedOff(decide(index, text), reason));
  }

  it('marks safety, fraud and account-security handoffs urgent', () => {
    const d = decide(index, '充电器插上就冒烟了');
    assert.equal(d.escalation?.urgent, true);
  });

  it('hands over a long message packing several questions', () => {
    handedOff(decide(index, '我想问一下什么时候发货？退款多久到账？发票怎么开？还有密码忘了怎么办？'), 'multi_question');
  });

  it('hands over when the customer asks the same question again', () => {
    const { decisions } = conversation('退款多久到账', '退款多久到账啊');
    assert.equal(decisions[0]?.action, 'answer');
    handedOff(decisions[1] as Decision, 'frustration');
  });

  it('hands over when emotion rises turn on turn', () => {
    const { decisions } = conversation('发货有点慢', '怎么还没发货，太慢了', '非常失望，到底什么时候发货');
    handedOff(decisions[2] as Decision, 'frustration');
  });

  it('hands over after consecutive misses', () => {
    const { decisions } = conversation('量子纠缠的原理是什么', '火星上有没有水');
    assert.ok(['none', 'clarify'].includes(decisions[0]?.action ?? ''));
    handedOff(decisions[1] as Decision, 'repeated_failure');
  });

  it('answers small talk in kind and never counts it as a miss', () => {
    const { decisions } = conversation('你好', '谢谢', 'bye');
    assert.deepEqual(decisions.map((d) => [d.action, d.intent]), [
      ['smalltalk', 'greeting'],
      ['smalltalk', 'thanks'],
      ['smalltalk', 'goodbye'],
    ]);
  });

  it('thanks a good rating and apologises for a poor one', () => {
    const good = decide(index, '5分');
    assert.equal(good.action, 'smalltalk');
    assert.match(good.reply, /5/);
    assert.match(decide(index, '1分').reply, /抱歉|歉/);
  });

  it('addresses the customer by surname and title when known', () => {
    const d = decide(index, '转人工', undefined, { name: '张伟', title: 'mr' });
    assert.match(d.suggestedReply, /张先生/);
    const en = decide(index, 'hello', undefined, { name: 'Chen Li', title: 'ms' });
    assert.match(en.reply, /Ms Li/);
  });

  it('masks personal data in what the agent sees', () => {
    const d = decide(index, '我要投诉，快递员态度很差，我手机13812345678');
    assert.doesNotMatch(d.suggestedReply, /13812345678/);
  });
});

describe('handoffReason', () => {
  const policy = {
    emotionLevel: 'angry' as const,
    consecutiveMisses: 2,
    repeatedQuestion: 2,
    risingTurns: 3,
    multiQuestion: { questions: 3, minChars: 30 },
    risks: { safety: { phrases: [], examples: [] }, fraud: { phrases: [], examples: [] }, account_security: { phrases: [], examples: [] }, legal: { phrases: [], examples: [] } },
    ordinary: [],
  };
  const faq = { kind: 'answer', faq: { id: 'warranty', category: 'after-sales', question: { en: 'Warranty?' }, alternates: [], answer: { en: 'One year.' }, tags: [], handoff: false }, confidence: 0.6, blended: 0.6, suggestions: [] } as const;
  const input = (over: Partial<PolicyInput>): PolicyInput => ({
    policy,
    conversation: NEW_CONVERSATION,
    normalized: 'the kettle already leaks what can you do',
    emotion: CALM,
    intent: null,
    risks: [],
    faq,
    questions: 0,
    length: 40,
    smalltalk: false,
    ...over,
  });

  it('answers a complaint the model only guesses at when it is a question an FAQ answers', () => {
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 0.7 }, questions: 1 })), null);
  });

  it('still hands over that complaint when it is not a question, or when a cue says so', () => {
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 0.7 }, questions: 0 })), 'complaint');
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 1 }, questions: 1 })), 'complaint');
  });

  it('gives a calm complaint the model only guesses at to the "always human" FAQ surely about it', () => {
    const human = { ...faq, faq: { ...faq.faq, handoff: true } };
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 0.7 }, faq: human })), 'faq_always_human');
  });

  it('keeps it a complaint when the customer is upset, says so, or the FAQ is only a weak match', () => {
    const human = { ...faq, faq: { ...faq.faq, handoff: true } };
    const upset = { score: 0.4, level: 'upset' as const, cues: ['失望'], threats: [] };
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 0.7 }, faq: human, emotion: upset })), 'complaint');
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 1 }, faq: human })), 'complaint');
    assert.equal(handoffReason(input({ intent: { intent: 'complaint', confidence: 0.7 }, faq: { ...human, confidence: 0.3, blended: 0.3 } })), 'complaint');
  });

  it('puts a risk before a request for a person, and a request before emotion', () => {
    const angry = { score: 0.9, level: 'distressed' as const, cues: ['气死了'], threats: [] };
    assert.equal(handoffReason(input({ risks: [{ kind: 'safety', phrase: '冒烟了' }], intent: { intent: 'ask_human', confidence: 1 }, emotion: angry })), 'safety');
    assert.equal(handoffReason(input({ intent: { intent: 'ask_human', confidence: 1 }, emotion: angry })), 'requested');
    assert.equal(handoffReason(input({ emotion: angry })), 'emotion');
  });
});

describe('the demo knowledge base: handing over to a person keeps its promises', () => {
  after(cleanTempDirs);
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(new URL('../../../knowledge-base', import.meta.url).pathname), languageData());
  });

  /** The reply's first sentence apologises. */
  const APOLOGY_FIRST = /^[^。！？!?]*?(抱歉|对不起|道歉|sorry|apologi[sz]e|apologies)/i;
  const defaultTeam = (): string => index.kb.shop.defaultTeam;

  describe('a request for a person', () => {
    const bare = ['转人工', '人工客服', '人工', '我要人工客服', '给我转人工', '有没有真人客服', '轉真人', '唔該轉人工', '我想同真人傾', '叫你们经理来', 'I want to talk to a human', 'agent please', 'human', 'live agent', 'can I speak to your manager', 'please transfer me to an agent'];
    for (const text of bare) {
      it(`sends a bare request, "${text}", to the default team rather than the team of the nearest FAQ`, () => {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'requested');
        assert.equal(d.escalation?.team, defaultTeam(), `${text} → ${d.escalation?.team}`);
        assert.equal(d.category, null);
        assert.equal(d.faqId, null);
      });
    }

    const topical: [string, string][] = [
      ['转人工，我的快递丢了', 'logistics'],
      ['转人工，发票抬头开错了', 'billing'],
      ['转人工 我要退货', 'after_sales'],
      ["agent please, my refund hasn't arrived", 'after_sales'],
      ['I want to speak to someone about my refund', 'after_sales'],
      ['请帮我接通负责物流的同事', 'logistics'],
    ];
    for (const [text, team] of topical) {
      it(`routes a request with a topic, "${text}", by its topic`, () => {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'requested');
        assert.equal(d.escalation?.team, team);
      });
    }

    it('apologises first when the customer asking for a person is upset', () => {
      for (const text of ['转人工！！你们这什么破服务', 'I want to talk to a human, this is ridiculous']) {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'requested');
        assert.notEqual(d.emotion.level, 'calm');
        assert.match(d.reply, APOLOGY_FIRST, d.reply);
      }
      assert.doesNotMatch(decide(index, '转人工').reply, /抱歉/);
    });
  });

  describe('an item that arrived damaged', () => {
    for (const text of ['东西坏了', '收到的东西是坏的', '收到的東西壞了', '收到嘅嘢係爛嘅', '包装破成这样，里面东西都压坏了', 'the item arrived broken', 'the box arrived crushed and the item is damaged']) {
      it(`gets the damaged-item FAQ and its after-sales specialist, not the complaint intake: "${text}"`, () => {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'faq_always_human', `${text}: ${d.handoffReason}`);
        assert.equal(d.faqId, 'warranty-received-damaged');
        assert.equal(d.reply, pickAnswer(d.lang));
        assert.equal(d.escalation?.team, 'after_sales');
      });
    }
    const pickAnswer = (lang: 'zh' | 'en'): string => index.faqs.get('warranty-received-damaged')?.answer[lang] ?? '';

    it('starts the complaint intake when the customer says they are complaining', () => {
      for (const text of ['我要投诉，东西坏了', 'I want to make a complaint, the item arrived broken']) {
        assert.equal(decide(index, text).handoffReason, 'complaint', text);
      }
    });

    it('starts the complaint intake when the customer is upset, and hands a furious one to a person at once, apologising first', () => {
      for (const text of ['东西坏了，太失望了', '收到的东西坏了，太让人失望了']) {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'complaint', text);
        assert.match(d.reply, APOLOGY_FIRST);
      }
      const furious = decide(index, '东西坏了！！！气死我了');
      assert.equal(furious.handoffReason, 'emotion');
      assert.match(furious.reply, APOLOGY_FIRST);
    });
  });

  it('still takes a real complaint as a complaint', () => {
    for (const text of ['我要投诉', '你们服务太差了', '快递员态度太恶劣了，我要投诉', '严重不满，要求赔偿', '维修送去半个月了还没修好，我非常不满', '我要投訴你哋', 'I want to file a complaint', 'I received a fake product and I want this handled', 'your courier was rude']) {
      assert.equal(decide(index, text).handoffReason, 'complaint', text);
    }
  });

  describe('a job seeker, a would-be partner or the press', () => {
    const asks: Record<'jobs' | 'partnership' | 'press', readonly string[]> = {
      jobs: [
        '你们招人吗', '你们还招聘吗', '我想应聘客服', '你们公司还在招客服吗', '请问在哪里投递简历', '你们那里招不招暑假工', '我想申请你们的实习', '有没有远程客服的岗位', '你哋間公司請唔請兼職', '請問有職位空缺嗎', '想来你们公司工作，怎么申请',
        'are you hiring?', 'do you have job openings', 'is Tact hiring', 'how can I apply for a customer service job', 'do you have any openings in Shanghai', "I'm interested in working for your company", 'where can I find your job listings', 'any remote jobs available?', 'do you take interns over the summer', "I'd love to join your team",
      ],
      partnership: [
        '我们想和贵公司合作', '商务合作找谁', '我们是一家茶叶公司，希望跟你们合作', '请问招商部门怎么联系', '想在你们商城卖我们的产品', '我们可以提供代工服务，有兴趣合作吗', '我哋想做你哋嘅分銷商', '想問下有冇合作機會', '请问怎么在你们平台开店', '想跟你們談一下聯名',
        'partnership inquiry', 'we are a manufacturer and would like to supply your store', 'is there a partnership program for small brands', "I'd like to propose a business collaboration", 'who do I talk to about listing my products on your site', 'can we become a reseller', 'how do I become one of your suppliers', 'is there someone I can talk to about B2B deals',
      ],
      press: [
        '媒体采访怎么联系', '我是报社记者，想了解一下你们的情况', '我们是电视台的，想做个采访', '请问媒体合作怎么联系', '有没有新闻发言人的联系方式', '我係記者，想問下關於回收嘅事', '請問公關部點聯絡', '请问你们的新闻联系人是谁', '我哋係雜誌，想做個訪問',
        "I'm a journalist from the Daily News, who can I talk to", 'press question about your latest product launch', 'can someone from your company give an interview', "I'm writing a news story and need a comment from your company", 'who handles press for your company', "who's your media contact", 'could your spokesperson comment on the recall', 'journalist here, need a statement about your prices',
      ],
    };
    for (const [intent, texts] of Object.entries(asks)) {
      it(`tells a ${intent} enquiry where to turn, politely and without apologising or handing over, in ${texts.length} phrasings`, () => {
        const wrong = texts
          .map((text) => [text, decide(index, text)] as const)
          .filter(([, d]) => d.action !== 'smalltalk' || d.intent !== intent || /抱歉|sorry/i.test(d.reply) || d.reply !== index.kb.phrasing[`smalltalk.${intent}`]?.[d.lang])
          .map(([text, d]) => `${text} → ${d.action} ${d.intent} ${d.handoffReason}`);
        assert.deepEqual(wrong, []);
      });
    }

    it('still answers a customer question that only shares their words', () => {
      for (const [text, faqId] of [['你们合作的快递是哪家', 'shipping-courier-choice'], ['招商银行信用卡可以用吗', null], ['上班时间能送货吗', 'shipping-change-delivery-time'], ["what's your return policy for work clothes", 'returns-how-to']] as const) {
        const d = decide(index, text);
        assert.ok(!['jobs', 'partnership', 'press'].includes(d.intent ?? ''), `${text} → ${d.intent}`);
        if (faqId) assert.equal(d.faqId, faqId, text);
      }
    });
  });

  it("reads emotion in emoji with the shipped lexicon: 😡😡😡 is not calm, and 🙂👍 add nothing", () => {
    const furious = decide(index, '😡😡😡 still no package!!');
    assert.notEqual(furious.emotion.level, 'calm');
    assert.ok(furious.emotion.cues.includes('😡'));
    assert.equal(furious.action, 'handoff');
    assert.match(furious.reply, APOLOGY_FIRST);
    for (const text of ['where is my package', '谢谢', '退款多久到账']) {
      assert.deepEqual(decide(index, `${text} 🙂👍`).emotion, decide(index, text).emotion, text);
    }
    assert.equal(decide(index, '谢谢🙂👍').emotion.level, 'calm');
  });

  describe('a legal threat', () => {
    for (const text of ['我要去12315投诉', '我要告你们', '再不处理我就去消协投诉你们', '我會去消費者委員會投訴你哋', 'I will report you to the consumer protection agency', "I'm going to sue", 'you will hear from my lawyer']) {
      it(`is handed to the supervisor with an apology first: "${text}"`, () => {
        const d = decide(index, text);
        assert.equal(d.handoffReason, 'legal');
        assert.match(d.reply, APOLOGY_FIRST, d.reply);
        assert.match(d.suggestedReply, /抱歉|sorry/i);
      });
    }
  });
});
