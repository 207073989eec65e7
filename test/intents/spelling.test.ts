import assert from 'node:assert/strict';
import { Lexicon } from '../../src/intents/lexicon.js';
import { FAQ_MATCHER_OPTIONS } from '../../src/intents/matcher-options.js';
import { Matcher, type Phrasing } from '../../src/intents/matcher.js';
import { isEnglishWord } from '../../src/intents/english-words.js';
import { Speller } from '../../src/intents/spelling.js';

describe('English typos', () => {
  const speller = new Speller(
    new Map([
      ['long', 3],
      ['log', 1],
      ['ship', 2],
      ['shape', 1],
      ['refund', 2],
      ['from', 2],
      ['form', 1],
    ]),
  );

  it('reads a word one edit from a known one as that word: swapped, dropped, added or changed letters', () => {
    assert.equal(speller.correctTerm('refnud'), 'refund');
    assert.equal(speller.correctTerm('refun'), 'refund');
    assert.equal(speller.correctTerm('reffund'), 'refund');
    assert.equal(speller.correctTerm('refumd'), 'refund');
  });

  it('picks the word the KB uses most when several are one edit away', () => {
    assert.equal(speller.correctTerm('lnog'), 'long', 'long (3) over log (1)');
    assert.equal(speller.correctTerm('shipe'), 'ship', 'ship (2) over shape (1)');
  });

  it('leaves known words, short words, numbers and words far from any known one alone', () => {
    assert.equal(speller.correctTerm('form'), 'form');
    assert.equal(speller.correctTerm('tke'), 'tke');
    assert.equal(speller.correctTerm('12345'), '12345');
    assert.equal(speller.correctTerm('marathon'), 'marathon');
  });

  it('refuses to guess between two words the KB uses as much', () => {
    assert.equal(new Speller(new Map([['cart', 1], ['card', 1]])).correctTerm('carx'), 'carx');
  });

  it('never corrects a real English word the KB does not use', () => {
    const s = new Speller(new Map([['hide', 1], ['here', 1], ['dress', 1]]), isEnglishWord);
    const analysis = { normalized: 'are you hiring press', tokens: [{ term: 'hire', surface: 'hiring', script: 'latin' as const }, { term: 'press', surface: 'press', script: 'latin' as const }], concepts: [], lang: 'en' as const, stop: [false, false] };
    assert.equal(s.correct(analysis, new Lexicon([])), analysis);
  });

  it('lets a matcher answer a message full of typos', () => {
    const phrasings: Phrasing[] = [
      ...['how long does shipping take', 'when will my order ship'].map((text) => ({ text, label: 'ship', field: 'alternate' as const })),
      ...['how do I get a refund', 'refund my money'].map((text) => ({ text, label: 'refund', field: 'alternate' as const })),
    ];
    const m = Matcher.build(phrasings, new Lexicon([]), FAQ_MATCHER_OPTIONS);
    const r = m.match('how lnog does shiping tke');
    assert.equal(r.candidates[0]?.faqId, 'ship');
    assert.ok(r.analysis.tokens.some((t) => t.term === 'long'), 'the analysis carries the corrected word');
  });
});
