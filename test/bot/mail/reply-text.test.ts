import assert from 'node:assert/strict';
import { replyText } from '../../../src/bot/mail/reply-text.js';

describe("a customer's words in an e-mail reply", () => {
  it('drops the quoted message under them, in the ways mail clients quote', () => {
    assert.equal(replyText('好的，谢谢！\n\n在 2026年11月27日 10:00，Tact 商城客服 写道：\n> 您好', 2000), '好的，谢谢！');
    assert.equal(replyText('Yes, thanks.\r\n\r\nOn Fri, 27 Nov 2026 at 10:00, Tact Shop <service@shop.test> wrote:\r\n> Hello', 2000), 'Yes, thanks.');
    assert.equal(replyText('否\n\n-----原始邮件-----\n发件人: service@shop.test', 2000), '否');
    assert.equal(replyText('No.\n-----Original Message-----\nFrom: x', 2000), 'No.');
    assert.equal(replyText('> quoted only\n> more', 2000), '');
    assert.equal(replyText('Thanks\n-- \nWang Fang\n138 1234 5678', 2000), 'Thanks');
  });

  it('keeps what they wrote across lines, and cuts it to a chat message', () => {
    assert.equal(replyText('第一行\n\n\n\n第二行', 2000), '第一行\n\n第二行');
    assert.equal(replyText('字'.repeat(5000), 2000).length, 2000);
  });
});
