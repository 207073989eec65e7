import assert from 'node:assert/strict';
import { analyze } from '../../src/intents/analyze.js';
import { followLanguage, languageSignal } from '../../src/intents/language.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { builtinLexicon } from '../../src/kb/defaults.js';

describe("the customer's language", () => {
  const { concepts, stopwords } = builtinLexicon();
  const lexicon = new Lexicon(concepts, stopwords);
  const signal = (text: string) => languageSignal(analyze(text, lexicon));

  const noSignal = ['ok', 'OK!', 'okay thanks', '123456', '👍', '😊😊', 'DD20261127001', 'A12-3456789', 'zhang.wei@example.com', '好', '?', '', 'refund please', 'AirPods Pro', 'iPhone 15 Pro Max', 'hi there', 'thanks ok'];
  for (const text of noSignal) {
    it(`hears no language in ${JSON.stringify(text)}`, () => assert.equal(signal(text), null));
  }

  const clear: [string, 'zh' | 'en'][] = [
    ['where is my order?', 'en'],
    ['Hi, I want a refund for my headphones', 'en'],
    ['thank you so much', 'en'],
    ['Do you ship to Canada', 'en'],
    ['can I pay with PayPal', 'en'],
    ['我的订单到哪了', 'zh'],
    ['谢谢', 'zh'],
    ['請問多久發貨？', 'zh'],
    ['iphone 15 pro有货吗', 'zh'],
    ['订单DD20261127001还没到', 'zh'],
  ];
  for (const [text, lang] of clear) {
    it(`hears ${lang} in ${JSON.stringify(text)}`, () => assert.equal(signal(text), lang));
  }

  it('keeps the conversation in its language through messages without a signal, and switches on a clear one', () => {
    let lang: 'zh' | 'en' = 'zh';
    const said: [string, 'zh' | 'en'][] = [
      ['where is my order? I paid last week', 'en'],
      ['DD20261127001', 'en'],
      ['ok', 'en'],
      ['👍', 'en'],
      ['好', 'en'],
      ['我还是说中文吧', 'zh'],
      ['123456', 'zh'],
      ['AirPods Pro', 'zh'],
    ];
    for (const [text, expected] of said) {
      lang = followLanguage(lang, analyze(text, lexicon));
      assert.equal(lang, expected, `after ${JSON.stringify(text)}`);
    }
  });

  it("takes a lone message's own guess when there is no conversation around it", () => {
    assert.equal(followLanguage(null, analyze('refund please', lexicon)), 'en');
    assert.equal(followLanguage(null, analyze('退款', lexicon)), 'zh');
  });
});
