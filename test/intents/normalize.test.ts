import assert from 'node:assert/strict';
import { MAX_MATCH_CHARS, normalize } from '../../src/intents/normalize.js';

describe('normalize', () => {
  const cases: Array<[string, string, string]> = [
    ['folds full-width letters, digits and punctuation', 'ＡＢＣ１２３，ｈｅｌｌｏ！', 'abc123 hello'],
    ['lower-cases English', 'Where Is My ORDER', 'where is my order'],
    ['folds Traditional Chinese to Simplified', '請問我的訂單什麼時候發貨', '请问我的订单什么时候发货'],
    ['folds Taiwan characters without rewriting words', '軟體更新後滑鼠不能用', '软体更新后滑鼠不能用'],
    ['keeps 登出 (log out) from turning into 注销 (close account)', '怎麼登出帳號', '怎么登出帐号'],
    ['folds HK variant 甚麼', '甚麼時候退款', '什么时候退款'],
    ['maps written Cantonese to Mandarin', '唔該，點樣退貨？幾耐到？冇收到', '麻烦 怎么退货 多久到 没有收到'],
    ['reads a closing 唔該 as thanks', '好的，唔該！', '好的 谢谢'],
    ['drops emoji', '退款😡😡到账了吗👍🏻', '退款 到账了吗'],
    ['drops zero-width characters inside words', 're\u200bfund\u200d', 'refund'],
    ['turns punctuation into single spaces', '发货？？？怎么...还没到!!!', '发货 怎么 还没到'],
    ['keeps apostrophes inside English words only', "I can't  'find' it", "i can't find it"],
    ['collapses whitespace and trims', '  \t退款 \n\n 进度  ', '退款 进度'],
    ['removes control characters', 'ab\u0000c\u0007d', 'ab c d'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(normalize(input), expected));
  }

  it('returns an empty string for emoji-only or punctuation-only input', () => {
    assert.equal(normalize('😀🎉👍'), '');
    assert.equal(normalize('？！。，…'), '');
  });

  it('clips a 100 KB message instead of processing all of it', () => {
    const out = normalize('退款'.repeat(50_000));
    assert.ok(out.length <= MAX_MATCH_CHARS);
  });

  it('never throws on lone surrogates and binary-looking input', () => {
    const junk = '\ud800\udfff\ud83d' + String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    assert.equal(typeof normalize(junk), 'string');
  });
});
