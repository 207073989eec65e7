import assert from 'node:assert/strict';
import { understandReply } from '../../src/intents/reply.js';
import { builtinReplies } from '../../src/kb/defaults.js';

// Written apart from lexicon/replies.yaml: how customers answer "is this right?" or "may we have your number?".
const YES = [
  '是的', '是', '对', '对的', '对啊', '没错', '没错，就是这样', '對', '對的，沒錯', '是的呢', '嗯', '嗯嗯', '好的', '可以', '确认', '確認無誤', '就是这样', '没问题', '对对对', '正确', '是這樣的', '好', '行', '当然', '没毛病',
  'yes', 'Yes.', 'YES!', 'yeah', 'yep', 'yup', 'sure', 'correct', "that's right", 'Thats right', 'exactly', 'ok', 'okay', 'OK!', 'yes please', 'sounds good', 'perfect', 'absolutely', 'of course', 'right', 'Yes, that is what happened', 'yeah that sums it up', 'y', 'confirmed', 'that’s correct', 'no problem', 'definitely', 'spot on', 'go ahead', 'looks good', 'Sure thing',
  // Simplified, with a particle, a filler or in more words
  '是啊', '是呀', '对喔', '对啊，就是这个', '是的没错', '就是这个意思', '说的对', '是这么回事', '确实', '嗯，是的', '其实没错', '可以啊', '完全正确',
  // Traditional and Cantonese
  '係', '係啊', '係呀係呀', '係㗎', '係咁', '冇錯', '冇錯呀', '無錯', '啱', '啱呀', '啱晒', '冇問題', '對呀對呀', '得', '好呀', '沒錯，就是這樣',
  // English
  'uh huh', 'mhm', 'yes it is', 'that is correct', 'that is right', 'you got it', "that's accurate", "you're right", 'all right', 'alright', 'yess', 'yeh', 'aye', 'precisely', 'well, yes', 'actually yes', 'no worries', 'not a problem', 'that works', 'yup exactly', 'ok thanks', 'yes, that is exactly it',
];
const NO = [
  '不是', '不对', '不对，我是要退款', '不對，我要的是退款', '错了', '不是这样的', '不不不', '搞错了', '你理解错了', '不正确', '不太对', '有误', '并不是', '不是，我说的是换货', '不对吧', '错', '不对不对',
  'no', 'No.', 'NO!', 'nope', 'nah', 'no, I want a refund', 'not really', 'not quite', 'wrong', "that's wrong", "that's not right", 'incorrect', 'not correct', 'no way', 'Nope, it was the other order', 'no thats not it', 'n', 'not at all', 'negative', 'no, you misunderstood',
  // Simplified, with a particle, a filler or in more words
  '不是啊', '不是啦', '不对哦', '错啦', '你们搞错了', '理解有误', '信息有误', '不完全对', '有点不对', '也不是', '都不是', '并非如此', '那不是我说的', '意思不对', '错误', '嗯，不对', '呃 不是', '其实不是',
  // Traditional and Cantonese
  '不對喔', '錯了啦', '並不是', '你搞錯了', '唔係', '唔係呀', '唔係喎', '唔係咁', '唔啱', '唔啱呀', '唔對', '錯咗', '錯晒', '都唔係', '唔係呀，我要退款', '你搞錯咗',
  // English
  "that's not it", 'not exactly', "that's not what I meant", 'not what I said', 'you got it wrong', "you've got it wrong", "that isn't right", 'that is not correct', 'thats incorrect', 'nah that’s wrong', 'yeah no', 'uh no', 'actually, no', 'sorry, that’s wrong', 'not true', 'nooo', "that's the wrong one",
];
const DECLINE = [
  '我不想留', '不想留', '不方便', '不方便留', '不留了', '算了', '算了吧', '不用了', '不需要', '不给', '不想给', '拒绝', '免了', '不必了', '不要',
  "I'd rather not", 'rather not', "I don't want to", 'dont want to', 'no thanks', 'no thank you', 'no need', 'i decline', 'pass',
];
const SKIP = ['跳过', '先跳过', '略过', '没有订单号', '不记得', '忘了', '不知道', '找不到', '暂时没有', 'skip', 'Skip it', 'next', 'maybe later', "don't know", "I don't have it", 'not sure', 'no idea', "can't remember", 'n/a'];
const NEITHER = [
  '快递员把包裹扔在门口', '我的订单号是 DD20261127001', '13812345678', '下午打给我', 'zhang.wei@example.com', '不错', '好像少了一件', '东西坏了', '对方态度很差',
  'the parcel was left in the rain', 'Nobody called me before delivery', 'know what, the box was empty', 'yesterday', 'notably the lid was cracked', 'Norway shipping', '', '   ', '？？？',
  '我想问一下退款', '嗯我想问下退款', '可以退款吗', '是吗', '係咪', '对了，我还想问个问题', '不好意思，打错字了', 'so what happens next', 'sorry?', 'well the box was wet',
];

describe('understanding a yes, a no or a skip in the customer’s own words', () => {
  const words = builtinReplies();
  const table: ReadonlyArray<[string, readonly string[], string | null]> = [
    ['yes', YES, 'yes'],
    ['no', NO, 'no'],
    ['a refusal', DECLINE, 'no'],
    ['skip', SKIP, 'skip'],
    ['neither', NEITHER, null],
  ];
  for (const [what, replies, meaning] of table) {
    it(`reads ${replies.length} ways of saying ${what}`, () => {
      const wrong = replies.filter((r) => understandReply(r, words) !== meaning).map((r) => `${JSON.stringify(r)} → ${understandReply(r, words)}`);
      assert.deepEqual(wrong, []);
    });
  }

  it('knows at least 60 ways of saying yes and 60 of saying no, in Chinese and English', () => {
    assert.ok(YES.length >= 60, `${YES.length} yes`);
    assert.ok(NO.length >= 60, `${NO.length} no`);
  });

  it('takes a filler or a particle as part of the answer only when nothing else is there', () => {
    assert.equal(understandReply('嗯', words), 'yes');
    assert.equal(understandReply('嗯，不是', words), 'no');
    assert.equal(understandReply('uh huh', words), 'yes');
    assert.equal(understandReply('uh, no', words), 'no');
    assert.equal(understandReply('啊', words), null);
  });

  it('reads a long story as an answer in its own right, not a yes or a no', () => {
    assert.equal(understandReply(`不对，${'快递员态度很差'.repeat(40)}`, words), null);
  });
});
