import assert from 'node:assert/strict';
import { analyze } from '../../src/intents/analyze.js';
import { IntentClassifier } from '../../src/intents/conversational.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { CONVERSATIONAL_INTENTS, type ConversationalIntent, type IntentExamples } from '../../src/kb/types.js';

const EXAMPLES: Record<ConversationalIntent, string[]> = {
  greeting: ['你好', '在吗', 'hello', 'hi there', '哈喽', '有人吗'],
  thanks: ['谢谢', '多谢', 'thank you', 'thanks a lot', '感谢'],
  goodbye: ['再见', '拜拜', 'bye', 'see you', '没事了'],
  ask_human: ['转人工', '人工客服', 'talk to a person', 'I want a human', '找你们经理'],
  complaint: ['我要投诉你们的快递员', '你们服务太差了', 'this is unacceptable', 'I want to make a complaint', '质量太烂了'],
  affirm: ['是的', '对', 'yes', 'yep', '好的'],
  deny: ['不是', '不对', 'no', 'nope', '不用了'],
  rating: ['5分', '五星', '非常满意', '4 stars', '一般'],
  chitchat: ['你是机器人吗', '讲个笑话', 'are you a bot', 'tell me a joke', '你几岁'],
  jobs: ['你们招人吗', '我想投简历', 'are you hiring', 'any job openings', '想应聘客服'],
  partnership: ['想谈商务合作', '怎么成为供应商', 'partnership inquiry', 'we would like to collaborate', '想做代理'],
  press: ['我是记者想采访', '媒体采访找谁', 'press inquiry', 'I am a journalist writing a story', '公关部联系方式'],
};

function intents(cues: Partial<Record<ConversationalIntent, string[]>> = {}): IntentExamples {
  const out = {} as Record<ConversationalIntent, { examples: string[]; cues: string[] }>;
  for (const i of CONVERSATIONAL_INTENTS) out[i] = { examples: EXAMPLES[i], cues: cues[i] ?? [] };
  return out;
}

const QUESTIONS = ['什么时候发货', '退款多久到账', '怎么开发票', '投诉进度在哪看', 'how do I make a complaint', 'when will my order ship', 'how long does a refund take', '运费多少钱', '可以货到付款吗', 'do you ship to Hong Kong'];

describe('IntentClassifier', () => {
  const lexicon = new Lexicon([]);
  const classifier = IntentClassifier.build(intents({ ask_human: ['转人工', 'real person'] }), QUESTIONS, lexicon);
  const intentOf = (text: string) => classifier.classify(analyze(text, lexicon))?.intent ?? null;

  it('recognises each intent from paraphrases of its examples', () => {
    assert.equal(intentOf('您好，在吗'), 'greeting');
    assert.equal(intentOf('非常感谢'), 'thanks');
    assert.equal(intentOf('好的拜拜'), 'goodbye');
    assert.equal(intentOf('i want to talk to a human'), 'ask_human');
    assert.equal(intentOf('你们快递员服务太差了，我要投诉'), 'complaint');
    assert.equal(intentOf('是的是的'), 'affirm');
    assert.equal(intentOf('nope, not that'), 'deny');
    assert.equal(intentOf('五星好评'), 'rating');
    assert.equal(intentOf('are you a robot'), 'chitchat');
  });

  it('leaves ordinary questions to the FAQ matcher, including questions about complaints', () => {
    for (const q of ['什么时候能发货呀', '投诉进度在哪里看', 'how long will the refund take']) assert.equal(intentOf(q), null, q);
  });

  it('takes a cue as decisive whatever else the message says', () => {
    const guess = classifier.classify(analyze('麻烦转人工，发票抬头写错了需要重开', lexicon));
    assert.deepEqual(guess, { intent: 'ask_human', confidence: 1 });
    assert.equal(intentOf('can a real person check my invoice'), 'ask_human');
  });

  it("lets the earlier intent's cue win when two are found: a journalist who complains is complaining", () => {
    const withCues = IntentClassifier.build(intents({ complaint: ['我要投诉'], press: ['我是记者'], jobs: ['招聘'] }), QUESTIONS, lexicon);
    const of = (text: string) => withCues.classify(analyze(text, lexicon))?.intent ?? null;
    assert.equal(of('我是记者，想约个采访'), 'press');
    assert.equal(of('我是记者，我要投诉你们的快递'), 'complaint');
    assert.equal(of('你们还招聘吗'), 'jobs');
  });

  it('never learns a cue phrase as an ordinary question, even when the KB lists it as one', () => {
    const withClash = IntentClassifier.build(intents({ ask_human: ['转人工'] }), [...QUESTIONS, '转人工怎么转', '转人工'], lexicon);
    assert.equal(withClash.classify(analyze('转人工', lexicon))?.intent, 'ask_human');
  });

  it('returns null for empty or hostile input instead of throwing', () => {
    for (const text of ['', '\u0000\u0001', '😀'.repeat(100), 'x'.repeat(100_000)]) assert.doesNotThrow(() => classifier.classify(analyze(text, lexicon)));
  });
});
