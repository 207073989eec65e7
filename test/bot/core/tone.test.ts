import assert from 'node:assert/strict';
import { ToneChecker } from '../../../src/bot/core/tone.js';
import { openPackaged } from '../../../src/kb/load.js';
import { referenceStandard } from '../../../src/kb/standard.js';

describe('checkTone', () => {
  const standard = referenceStandard(openPackaged);
  const tone = new ToneChecker(standard.tone, standard.phrasing);
  const kinds = (text: string, lang: 'zh' | 'en', ctx = {}): string[] => tone.checkTone(text, lang, ctx).map((f) => f.kind);

  it('finds cold, buck-passing and curt Chinese phrasing and offers a polite rewrite', () => {
    const findings = tone.checkTone('不知道，这个不归我管，这是规定', 'zh');
    assert.ok(findings.length >= 3, JSON.stringify(findings));
    assert.ok(findings.some((f) => f.kind === 'cold'));
    assert.ok(findings.some((f) => f.kind === 'buck_passing'));
    for (const f of findings) {
      assert.ok(f.rewrite.length > 5);
      assert.deepEqual(tone.checkTone(f.rewrite, 'zh'), [], `the rewrite "${f.rewrite}" must itself be clean`);
    }
  });

  it('reads Traditional Chinese as Simplified', () => {
    assert.ok(kinds('不歸我管，你自己看', 'zh').includes('buck_passing'));
  });

  it('finds curt English phrasing on word boundaries', () => {
    assert.ok(kinds("I don't know, that's not my job", 'en').length >= 2);
    assert.deepEqual(kinds('We know how frustrating this is, and we will sort it out today.', 'en'), []);
  });

  it('flags 你 where 您 belongs, allows 你们, and rewrites the text', () => {
    const [f] = tone.checkTone('你好，你们的订单已发货，你可以查看物流', 'zh').filter((x) => x.kind === 'informal_pronoun');
    assert.ok(f);
    assert.equal(f.rewrite, '您好，你们的订单已发货，您可以查看物流');
    assert.deepEqual(kinds('您好，订单已发货', 'zh'), []);
  });

  it('asks for a greeting on the first reply and an apology to an upset customer', () => {
    assert.deepEqual(kinds('订单已发货', 'zh', { firstReply: true }), ['missing_greeting']);
    assert.deepEqual(kinds('您好，订单已发货', 'zh', { firstReply: true }), []);
    assert.deepEqual(kinds('The parcel left yesterday.', 'en', { customerUpset: true }), ['missing_apology']);
    assert.deepEqual(kinds("We're sorry, the parcel left yesterday.", 'en', { customerUpset: true }), []);
    const [greet] = tone.checkTone('订单已发货', 'zh', { firstReply: true });
    assert.match(greet?.rewrite ?? '', /您好/);
  });

  it('tells a reply that opens with an apology from one that apologises only later', () => {
    assert.equal(tone.opensWithApology('非常抱歉给您带来了困扰，您反映的事项我们非常重视。'), true);
    assert.equal(tone.opensWithApology('您好，非常抱歉让您收到了损坏的商品，这是我们的责任。'), true);
    assert.equal(tone.opensWithApology("We're very sorry your item arrived damaged; this is our responsibility."), true);
    assert.equal(tone.opensWithApology('您好，您反映的事项我们非常重视。非常抱歉。'), false);
    assert.equal(tone.opensWithApology('Refunds take 3 days. Sorry for the wait.'), false);
    assert.equal(tone.opensWithApology(''), false);
  });

  it('does not flag polite text that contains a forbidden phrase inside an allowed one', () => {
    assert.deepEqual(kinds('如果您不知道订单号，可以在“我的订单”中查看', 'zh'), []);
  });

  it('copes with empty, huge and odd input', () => {
    assert.deepEqual(tone.checkTone('', 'zh'), []);
    assert.ok(Array.isArray(tone.checkTone('不知道'.repeat(30_000), 'zh')));
    assert.deepEqual(tone.checkTone('🙂\u0000\u200b', 'en'), []);
  });
});
