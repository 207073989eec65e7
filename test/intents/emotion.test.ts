import assert from 'node:assert/strict';
import { analyze } from '../../src/intents/analyze.js';
import { EmotionScorer } from '../../src/intents/emotion.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import type { EmotionLexiconData } from '../../src/kb/types.js';

const LEXICON: EmotionLexiconData = {
  levels: { upset: 0.25, angry: 0.55, distressed: 0.8 },
  terms: [
    ['失望', 0.3],
    ['生气', 0.45],
    ['气死我了', 0.7],
    ['不满意', 0.3],
    ['disappointed', 0.3],
    ['angry', 0.45],
    ['fed up', 0.4],
    ['装聋作哑', 0.5],
  ],
  intensifiers: [
    ['非常', 1.5],
    ['very', 1.5],
  ],
  negators: ['不', '没', 'not'],
  insults: ['垃圾', 'idiot'],
  threats: { public: ['曝光', 'post a review'], regulator: ['12315'], legal: ['起诉', 'lawyer'] },
  distress: ['救命', '急死了', 'desperate'],
  emoji: [
    ['😡', 0.35],
    ['>:(', 0.3],
  ],
};

describe('EmotionScorer', () => {
  const scorer = new EmotionScorer(LEXICON);
  const none = new Lexicon([]);
  const score = (text: string) => scorer.score(analyze(text, none), text);

  it('reads a plain question as calm with no cues', () => {
    assert.deepEqual(score('请问什么时候发货'), { score: 0, level: 'calm', cues: [], threats: [] });
  });

  it('reads angry emoji and emoticons as typed, a repeat saying more, and a smile as nothing', () => {
    const one = score('还没到货😡');
    assert.equal(one.score, 0.35);
    assert.deepEqual(one.cues, ['😡']);
    assert.equal(score('😡😡😡 still no package').score, 0.7, 'three say twice what one does');
    assert.equal(score('😡😡😡😡😡😡').score, 0.7, 'more than three say no more');
    assert.equal(score('where is it >:(').level, 'upset');
    assert.deepEqual(score('谢谢🙂👍'), { score: 0, level: 'calm', cues: [], threats: [] });
  });

  it('scores each level: upset, angry, distressed', () => {
    assert.equal(score('有点失望').level, 'upset');
    assert.equal(score('气死我了').level, 'angry');
    assert.equal(score('气死我了，急死了，救命').level, 'distressed');
    assert.equal(score("I'm disappointed").level, 'upset');
  });

  it('multiplies a term by an intensifier just before it', () => {
    assert.ok(score('非常失望').score > score('失望').score);
    assert.ok(score('very disappointed').score > score('disappointed').score);
  });

  it('cancels a term after a negator, but keeps negative words that contain one (不满意)', () => {
    assert.equal(score('我没生气').level, 'calm');
    assert.equal(score('not angry, just asking').level, 'calm');
    assert.equal(score('很不满意').score, 0.3);
  });

  it('does not take the 不 of an A-not-A question (是不是) for a negator', () => {
    assert.equal(score('你们是不是装聋作哑').score, 0.5);
  });

  it('counts insults, threats and distress, and says which threats', () => {
    const e = score('垃圾店，我要去12315投诉，还要找律师起诉');
    assert.equal(e.level, 'distressed');
    assert.deepEqual([...e.threats].sort(), ['legal', 'regulator']);
    assert.ok(e.cues.includes('垃圾'));
    assert.equal(score('I will post a review about this').threats[0], 'public');
  });

  it('hears repeated punctuation and SHOUTING', () => {
    assert.ok(score('生气！！！').score > score('生气').score);
    assert.ok(score('WHERE IS MY ORDER, I AM FED UP').score > score('where is my order, i am fed up').score);
    assert.equal(score('I ordered a USB hub').level, 'calm');
  });

  it('reads Traditional Chinese through the same lexicon', () => {
    assert.equal(score('氣死我了').level, 'angry');
  });

  it('never exceeds 1 and never throws on hostile input', () => {
    assert.equal(score('垃圾'.repeat(1000)).score, 1);
    for (const text of ['', '   ', '\u0000\ufffe', '😡'.repeat(500), 'a'.repeat(100_000)]) assert.ok(score(text).score >= 0);
  });
});
