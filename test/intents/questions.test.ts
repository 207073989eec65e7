import assert from 'node:assert/strict';
import { countQuestions } from '../../src/intents/questions.js';

describe('countQuestions', () => {
  const cases: [string, number][] = [
    ['请问什么时候发货', 1],
    ['在吗', 0],
    ['我的订单什么时候发货，我很着急，谢谢', 1],
    ['你好 请教一下：1.寄到成都几天能到 2.能开公司抬头的发票吗 3.吸顶灯可以上门安装吗', 3],
    ['想问下现在还能不能改地址？另外运费是怎么算的，不喜欢还能退吗', 3],
    ['Few things: can I pay with Visa, how much is shipping to Taiwan, and how long is the warranty?', 3],
    ['do you ship to HK? and how long does it take?', 2],
    ['What is the return policy? What is the return policy?', 1],
  ];
  for (const [text, n] of cases) it(`counts ${n} in "${text.slice(0, 30)}…"`, () => assert.equal(countQuestions(text), n));

  it('copes with empty, huge and punctuation-only input', () => {
    assert.equal(countQuestions(''), 0);
    assert.equal(countQuestions('？？？。。。,,,'), 0);
    assert.ok(countQuestions('怎么退货？'.repeat(20_000)) >= 1);
  });
});
