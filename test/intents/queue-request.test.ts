import assert from 'node:assert/strict';
import { understandQueueRequest } from '../../src/intents/queue-request.js';
import { builtinQueueWords } from '../../src/kb/queue-words.js';

const words = builtinQueueWords();
const meaning = (text: string): string | null => understandQueueRequest(text, words);

describe('what a waiting customer asks of the queue', () => {
  const waits = ['还要等多久？', '请问还要多久啊', '還要等多久', '我前面还有几个人', '我排第几', '怎么还没人理我', '客服人呢', 'how much longer?', 'How long do I have to wait', "what's the wait", 'am I next?', 'where am I in the queue'];
  for (const text of waits) it(`hears "${text}" as a question about the wait`, () => assert.equal(meaning(text), 'wait_time'));

  const cancels = ['不用了', '不用了，谢谢', '算了', '不用转人工了', '取消排队', '我不等了', '問題解決了', 'never mind', 'Nevermind!', 'cancel my request please', "I don't need a person anymore", 'forget it'];
  for (const text of cancels) it(`hears "${text}" as cancelling the request`, () => assert.equal(meaning(text), 'cancel'));

  const neither = ['请问多久发货', '不用了谢谢，我想问一下退款要多久到账呢？我上周申请的', 'how long does shipping take', 'cancel my order', '你好', '退货地址是哪里', '算了吧你们这个产品质量真的很一般我想退货，帮我看看怎么弄'];
  for (const text of neither) it(`leaves "${text}" to the matcher`, () => assert.equal(meaning(text), null));

  it('ignores long messages, which are questions of their own', () => {
    assert.equal(meaning(`还要等多久${'啊'.repeat(80)}`), null);
  });
});
