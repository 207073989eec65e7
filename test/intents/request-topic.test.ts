import assert from 'node:assert/strict';
import { analyze } from '../../src/intents/analyze.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { RequestTopic } from '../../src/intents/request-topic.js';

describe('RequestTopic', () => {
  const lexicon = new Lexicon(
    [
      { id: 'refund', terms: ['退款', 'refund'] },
      { id: 'return', terms: ['退货'] },
      { id: 'can', terms: ['can', '能不能'] },
    ],
    ['我', '你们', '的', '了', 'i', 'my', 'to', 'can', 'please', 'a', '能不能'],
  );
  const topic = new RequestTopic(['转人工', '人工客服', 'talk to a human', '人工', '经理', '我要', 'agent', 'speak', 'manager', 'your', 'want'], lexicon);
  const of = (text: string): string | null => topic.of(analyze(text, lexicon))?.normalized ?? null;

  it('finds nothing to talk about in a bare request for a person, in Chinese or English', () => {
    for (const text of ['转人工', '人工客服', '我要人工', 'agent please', 'I want to talk to a human', 'can I speak to your manager', '叫你们经理来', '能不能转人工']) {
      assert.equal(of(text), null, text);
    }
  });

  it('keeps what the request is about, without the request', () => {
    assert.equal(of('转人工，我的快递丢了'), '我的快递丢了');
    assert.equal(of('agent please, my refund is late'), 'please my refund is late');
    assert.equal(of("speak to an agent about my order's refund"), "to an about my order's refund");
  });

  it('counts a concept as a topic even when the segmenter cuts it into single characters', () => {
    assert.equal(of('转人工 我要退货'), '退货');
  });

  it('copes with an empty or odd message', () => {
    assert.equal(of(''), null);
    assert.equal(of('🙂！！'), null);
  });
});
