import assert from 'node:assert/strict';
import { maskPii } from '../../../src/bot/core/mask.js';

describe('maskPii', () => {
  const cases: [string, string, RegExp][] = [
    ['a mainland mobile', '我的手机是13812345678', /138\*\*\*\*5678/],
    ['a mobile typed with dashes and +86', 'call +86 138-1234-5678 please', /\+86 138\*\*\*\*5678/],
    ['a landline with area code', '电话 021-62345678', /\*\*\*\*5678/],
    ['an e-mail address', 'mail me at zhang.wei@example.com', /z\*\*\*@example\.com/],
    ['an ID-card number with a valid check character', '身份证11010519491231002X', /110105\*{8}002X/],
    ['a bank card that passes Luhn', '卡号4111111111111111', /\*\*\*\* 1111/],
    ['a bank card typed in groups', 'card 6222 0202 0000 1234 560', /\*\*\*\* 4560/],
    ['a Chinese street address', '寄到漕溪北路398号3号楼1201室', /漕溪北路\*\*\*\*/],
    ['an English street address', 'I live at 221B Baker Street', /\*\*\*\* Baker Street/],
  ];
  for (const [what, text, expected] of cases) {
    it(`masks ${what}`, () => {
      const masked = maskPii(text);
      assert.match(masked, expected);
      assert.doesNotMatch(masked, /12345678|zhang\.wei|19491231|4111111111111111|0202 0000|398号|221B/);
    });
  }

  it('leaves order numbers, prices and dates readable for the agent', () => {
    for (const text of ['订单号 202611270001234567 还没发货', 'order 12345678 is late', '退款 299 元 3 天了', 'ordered on 2026-11-20']) assert.equal(maskPii(text), text);
  });

  it('handles empty, huge and binary-looking input without throwing', () => {
    assert.equal(maskPii(''), '');
    assert.equal(maskPii('1'.repeat(100_000)).length > 0, true);
    assert.equal(typeof maskPii('\u0000\uffff\ud800'), 'string');
  });
});
