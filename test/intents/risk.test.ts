import assert from 'node:assert/strict';
import { analyze } from '../../src/intents/analyze.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { RiskDetector } from '../../src/intents/risk.js';
import type { RiskKind, RiskTopic } from '../../src/kb/types.js';

const RISKS: Record<RiskKind, RiskTopic> = {
  safety: {
    phrases: ['冒烟了', 'caught fire'],
    examples: ['充电器插着插着就冒火花了', '插头烧焦了一股糊味', 'the charger melted and there is a burning smell', 'sparks came out of the socket', '孩子把电池吞下去了', 'my kid got an electric shock from the lamp'],
  },
  fraud: {
    phrases: ['冒充客服'],
    examples: ['有人自称你们客服让我转账', '短信让我点链接填银行卡号', 'someone claiming to be your staff asked for my card code', 'a caller said I must pay a customs fee by transfer', '有人说要先交保证金才能退款', 'got a text from you asking for my verification code'],
  },
  account_security: {
    phrases: ['账号被盗'],
    examples: ['有人登录了我的账号', '我的密码被别人改了', 'someone changed my password', 'there are orders on my account I never placed', '收到登录验证码但我没登录', 'my account email was changed without me'],
  },
  legal: {
    phrases: ['起诉你们'],
    examples: ['我已经找律师了', '我要去消协投诉你们', 'I will take you to small claims court', 'delete all my personal data under GDPR', '我要向市场监管局举报', 'my lawyer will contact you'],
  },
};
const ORDINARY = ['这个充电器会不会很烫', '怎么修改登录密码', 'how do I change my password', 'is this heater safe for kids', '退款多久到账', 'do you have a privacy policy', '验证码收不到怎么办', '你们支持信用卡吗'];

describe('RiskDetector', () => {
  const lexicon = new Lexicon([]);
  const detector = new RiskDetector(RISKS, ORDINARY, ['什么时候发货', '运费多少', 'how long is shipping', '可以开发票吗'], lexicon);
  const kinds = (text: string) => detector.find(analyze(text, lexicon)).map((h) => h.kind);

  it('finds a risk phrase whatever else the message says, reading Traditional as Simplified', () => {
    assert.deepEqual(kinds('我的台灯冒烟了，怎么办'), ['safety']);
    assert.deepEqual(kinds('我的帳號被盜了'), ['account_security']);
  });

  it('puts the most urgent risk first', () => {
    assert.deepEqual(kinds('有人冒充客服，说我账号被盗了，电源还冒烟了'), ['safety', 'fraud', 'account_security']);
  });

  it('recognises a risk worded unlike any phrase, from the examples', () => {
    assert.deepEqual(kinds('台灯插头冒火花，还有烧焦的味道'), ['safety']);
    assert.deepEqual(kinds('a man claiming to be your staff asked for my card code'), ['fraud']);
  });

  it('leaves look-alike ordinary questions alone', () => {
    for (const q of ['这个台灯会不会很烫', 'how can I change my password', '什么时候发货']) assert.deepEqual(kinds(q), [], q);
  });

  it('works with phrases only when a KB gives no examples', () => {
    const bare = new RiskDetector({ ...RISKS, safety: { phrases: ['冒烟了'], examples: [] }, fraud: { phrases: [], examples: [] }, account_security: { phrases: [], examples: [] }, legal: { phrases: [], examples: [] } }, [], [], lexicon);
    assert.deepEqual(bare.find(analyze('冒烟了', lexicon)).map((h) => h.kind), ['safety']);
    assert.deepEqual(bare.find(analyze('插头冒火花', lexicon)), []);
  });
});
