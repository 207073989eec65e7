import assert from 'node:assert/strict';
import { maskPii } from '../../../src/bot/core/mask.js';

/** The digits a reader could make out of a text, however they were written: full-width, other scripts, Chinese numerals. */
function digitsIn(text: string): string {
  const han: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 贰: '2', 貳: '2', 三: '3', 叁: '3', 參: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 陸: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9' };
  const arabicIndic = (c: string): string => String(c.charCodeAt(0) - 0x660);
  return [...text.normalize('NFKC')].map((c) => han[c] ?? (/[\u0660-\u0669]/.test(c) ? arabicIndic(c) : c)).join('').replace(/\D/g, '');
}

describe('maskPii', () => {
  describe('masks personal data, however it is typed', () => {
    // [what, text, what the agent sees, digits that must not be readable in the result]
    const cases: [string, string, RegExp, string][] = [
      ['a mainland mobile', '我的手机是13812345678', /^我的手机是138\*\*\*\*5678$/, '13812345678'],
      ['a mobile typed with dashes and +86', 'call +86 138-1234-5678 please', /^call \+86 138\*\*\*\*5678 please$/, '12345678'],
      ['a landline with area code', '电话 021-62345678', /^电话 \*\*\*\*5678$/, '6234'],
      ['an e-mail address', 'mail me at zhang.wei@example.com', /^mail me at z\*\*\*@example\.com$/, ''],
      ['an ID-card number with a valid check character', '身份证11010519491231002X', /^身份证110105\*{8}002X$/, '19491231'],
      ['a bank card that passes Luhn', '卡号4111111111111111', /^卡号\*\*\*\* 1111$/, '4111111111'],
      ['a bank card typed in groups', 'card 6222 0202 0000 1234 560', /^card \*\*\*\* 4560$/, '02020000'],
      ['a Chinese street address', '寄到漕溪北路398号3号楼1201室', /漕溪北路\*\*\*\*/, '398'],
      ['an English street address', 'I live at 221B Baker Street', /\*\*\*\* Baker Street/, '221'],
      // The bypasses found in issue 12.
      ['a mobile in full-width digits', '手机１３９８７６５１２３４', /^手机139\*\*\*\*1234$/, '98765'],
      ['a mobile grouped with dots', '打139.8765.1234找我', /^打139\*\*\*\*1234找我$/, '8765'],
      ['a card grouped with dots', '卡号4111.1111.1111.1111', /^卡号\*\*\*\* 1111$/, '41111111'],
      ['a full-width e-mail address', '邮箱ｚｈａｎｇ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ', /^邮箱z\*\*\*@example\.com$/, ''],
      ['an e-mail address with a full-width at sign', '邮箱 zhang.wei＠example.com 谢谢', /^邮箱 z\*\*\*@example\.com 谢谢$/, ''],
      ['a mobile in Chinese numerals', '电话一三九八七六五一二三四', /^电话139\*\*\*\*1234$/, '98765'],
      ['a mobile in Chinese numerals with 幺 and 〇', '幺三九〇八七六五四三二', /^139\*\*\*\*5432$/, '908765'],
      ['a mobile in Chinese numerals with 零', '号码幺三九零八七六五四三二', /^号码139\*\*\*\*5432$/, '908765'],
      ['a mobile in financial numerals', '壹叁玖捌柒陆伍肆叁贰壹', /^139\*\*\*\*4321$/, '98765'],
      ['a mobile in traditional financial numerals', '壹參玖捌柒陸伍肆參貳壹', /^139\*\*\*\*4321$/, '98765'],
      ['a mobile in Chinese numerals followed by 一直', '电话一三九八七六五四三二一一直打不通', /^电话139\*\*\*\*4321一直打不通$/, '98765'],
      ['a mobile followed by 一直', '电话13987654321一直打不通', /^电话139\*\*\*\*4321一直打不通$/, '98765'],
      // Other separators and mixtures.
      ['a mobile grouped with spaces', '139 8765 1234', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile grouped with ideographic spaces', '139　8765　1234', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile with +86 and dashes', '+86-139-8765-1234', /^\+86 139\*\*\*\*1234$/, '8765'],
      ['a mobile with full-width +86', '＋８６　１３９－８７６５－１２３４', /^\+86 139\*\*\*\*1234$/, '8765'],
      ['a mobile with 0086', '0086 139 8765 1234', /^\+86 139\*\*\*\*1234$/, '8765'],
      ['a mobile grouped with mixed separators', '139·8765/1234 或 139 - 8765 - 1234', /^139\*\*\*\*1234 或 139\*\*\*\*1234$/, '8765'],
      ['a mobile typed one digit at a time', '1 3 9 8 7 6 5 1 2 3 4', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile with invisible characters between the digits', '139\u200b8765\u200b1234', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile in Arabic-Indic digits', '\u0661\u0663\u0669\u0668\u0667\u0666\u0665\u0661\u0662\u0663\u0664', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile in circled digits', '①③⑨⑧⑦⑥⑤①②③④', /^139\*\*\*\*1234$/, '8765'],
      ['a mobile in Chinese numerals with spaces', '一三九 八七六五 一二三四', /^139\*\*\*\*1234$/, '8765'],
      ['a card in full-width digits', '４１１１　１１１１　１１１１　１１１１', /^\*\*\*\* 1111$/, '41111111'],
      ['a card in Chinese numerals', '卡号四一一一一一一一一一一一一一一一', /^卡号\*\*\*\* 1111$/, '41111111'],
      ['a card with dashes and dots mixed', '4111-1111.1111 1111', /^\*\*\*\* 1111$/, '41111111'],
      ['an ID-card number in groups', '身份证 110105 19491231 002X', /^身份证 110105\*{8}002X$/, '19491231'],
      ['an ID-card number in full-width characters', '１１０１０５１９４９１２３１００２Ｘ', /^110105\*{8}002X$/, '19491231'],
      ['an ID-card number in Chinese numerals', '一一〇一〇五一九四九一二三一〇〇二X', /^110105\*{8}002X$/, '19491231'],
      ['a landline grouped with dots', '021.6234.5678', /^\*\*\*\*5678$/, '6234'],
      ['a landline in full-width characters', '（０２１）６２３４－５６７８', /^\*\*\*\*5678$/, '6234'],
      ['an international number with spaces', 'ring +44 20 7946 0958', /^ring \*\*\*\*0958$/, '7946'],
      ['an international number with brackets', '+1 (415) 555-0123', /^\*\*\*\*0123$/, '415555'],
      // Found reading `tact kb gaps` on an English-speaking customer's questions.
      ['a North American number with the area code in brackets', 'call me at (415) 555-2671', /^call me at \*\*\*\*2671$/, '415555'],
      ['a North American number with dots', 'my cell 415.555.2671 thanks', /^my cell \*\*\*\*2671 thanks$/, '415555'],
      ['a North American number after a 1', 'phone 1-415-555-2671', /^phone 141\*\*\*\*2671$/, '415555'],
      ['a street address in full-width digits', '寄到漕溪北路３９８号', /^寄到漕溪北路\*\*\*\*$/, '398'],
    ];
    for (const [what, text, expected, hidden] of cases) {
      it(`masks ${what}`, () => {
        const masked = maskPii(text);
        assert.match(masked, expected);
        if (hidden !== '') assert.ok(!digitsIn(masked).includes(hidden), `${JSON.stringify(masked)} still shows ${hidden}`);
        assert.doesNotMatch(masked.normalize('NFKC'), /zhang\.wei/i);
      });
    }

    it('masks a text already masked to the same text (masking twice changes nothing)', () => {
      for (const [, text] of cases) assert.equal(maskPii(maskPii(text)), maskPii(text), text);
    });
  });

  it("keeps the rest of the customer's words as typed: only what was masked is normalised", () => {
    assert.equal(maskPii('您好！ＡＢＣ客服：我的手机是１３９８７６５１２３４，谢谢～'), '您好！ＡＢＣ客服：我的手机是139****1234，谢谢～');
    assert.equal(maskPii('ｍｙ ｍａｉｌ：ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ。'), 'ｍｙ ｍａｉｌ：z***@example.com。');
    assert.equal(maskPii('（注意）卡号 4111.1111.1111.1111，谢谢'), '（注意）卡号 **** 1111，谢谢');
  });

  describe('leaves what an agent needs readable', () => {
    const readable = [
      '订单号 202611270001234567 还没发货',
      'order 12345678 is late',
      '退款 299 元 3 天了',
      'ordered on 2026-11-20',
      '2026-12-06',
      '2026/12/06',
      '2026.12.06',
      '２０２６－１２－０６',
      '从 2026-12-06 - 2026-12-08 都不在家',
      '20261206 20261208',
      '¥1,299.00',
      '三件分别是 13.99 12.50 8.00 元',
      '￥１，２９９．００',
      '3件',
      '买3件，每件139元，2026-12-06下单，12:30到货',
      '12:30',
      '１２：３０',
      '13:30-14:00 送达',
      '订单 T1127-7K3QD',
      '订单 20261206123456',
      '尺码 39 40 41 各一件',
      'app version 13.2.1',
      'router at 192.168.10.100',
      '一五一十地说了，三三两两',
      '二〇二六年十二月六日',
      '第一次买了两件，一共三百九十九元',
      '一二三',
      'order 4155552671 is late',
      'codes 123 456 7890',
    ];
    for (const text of readable) {
      it(`leaves ${JSON.stringify(text)} as it is`, () => assert.equal(maskPii(text), text));
    }
  });

  it('handles empty, huge and binary-looking input without throwing', () => {
    assert.equal(maskPii(''), '');
    assert.equal(maskPii('1'.repeat(100_000)).length > 0, true);
    assert.equal(maskPii('1 '.repeat(50_000)).length > 0, true);
    assert.equal(maskPii(`数字${'一'.repeat(100_000)}完`), '数字****完', 'more numerals in a row than anyone writes is masked whole');
    assert.equal(maskPii('１'.repeat(100_000)).length > 0, true);
    assert.equal(typeof maskPii('\u0000\uffff\ud800'), 'string');
  });
});
