import assert from 'node:assert/strict';
import { analyze, detectLang } from '../../src/intents/analyze.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { normalize } from '../../src/intents/normalize.js';
import { tokenize } from '../../src/intents/tokenize.js';

const terms = (s: string): string[] => tokenize(normalize(s)).map((t) => t.term);

describe('tokenize', () => {
  it('segments Chinese into words', () => {
    const t = terms('我的退款什么时候到账');
    assert.ok(t.includes('退款'), t.join('/'));
    assert.ok(t.includes('什么时候'), t.join('/'));
  });

  it('stems English words', () => {
    assert.deepEqual(terms('Shipping dispatched orders'), ['ship', 'dispatch', 'order']);
  });

  it('keeps both languages of a mixed message in order', () => {
    const t = terms('我的order还没shipped');
    assert.ok(t.indexOf('order') < t.indexOf('ship'));
    assert.ok(t.includes('还'), t.join('/'));
  });

  it('keeps numbers as tokens', () => {
    assert.ok(terms('订单 12345 没到').includes('12345'));
  });
});

describe('detectLang', () => {
  it('treats a Chinese sentence with an English product name as Chinese', () => {
    assert.equal(detectLang('iphone 15 pro有货吗'), 'zh');
  });
  it('treats an English sentence as English', () => {
    assert.equal(detectLang('where is my parcel'), 'en');
  });
  it('defaults to English for digits or nothing', () => {
    assert.equal(detectLang('12345'), 'en');
    assert.equal(detectLang(''), 'en');
  });
});

describe('Lexicon', () => {
  const lex = new Lexicon([
    { id: 'ship', terms: ['发货', '寄出', '出库', 'ship', 'dispatch', 'send out'] },
    { id: 'broken', terms: ['碎了', '裂了', 'broken', 'cracked'] },
    { id: 'ignored', terms: ['发', ''] },
  ]);
  const concepts = (s: string): string[] => analyze(s, lex).concepts.map((c) => c.concept);

  it('finds Chinese phrases as substrings, Traditional included', () => {
    assert.deepEqual(concepts('東西什麼時候寄出去'), ['ship']);
  });
  it('finds English multi-word phrases on stems', () => {
    assert.deepEqual(concepts('when do you send it out'), []);
    assert.deepEqual(concepts('when will you send out my order'), ['ship']);
    assert.deepEqual(concepts('it was dispatched and arrived cracked'), ['ship', 'broken']);
  });
  it('ignores single-character Chinese terms, which would match everywhere', () => {
    assert.equal(lex.size, 10);
    assert.deepEqual(concepts('发票'), []);
  });
});
