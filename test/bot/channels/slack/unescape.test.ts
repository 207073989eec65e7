import assert from 'node:assert/strict';
import { slackToPlainText } from '../../../../src/bot/channels/slack/unescape.js';

describe("an agent's Slack message, as the customer reads it", () => {
  it('turns Slack links into the label and the address', () => {
    assert.equal(slackToPlainText('See <https://shop.example/returns|our returns page> or <https://shop.example/help>'), 'See our returns page (https://shop.example/returns) or https://shop.example/help');
    assert.equal(slackToPlainText('Mail <mailto:help@shop.example|help@shop.example>'), 'Mail help@shop.example');
  });

  it('restores &, < and > and drops colleagues\u2019 mentions', () => {
    assert.equal(slackToPlainText('Tom &amp; Jerry &lt;3 &gt; all <@U123ABC> thanks'), 'Tom & Jerry <3 > all thanks');
    assert.equal(slackToPlainText('see <#C123|orders> <!here>'), 'see #orders @here');
  });

  it('leaves plain text alone', () => {
    assert.equal(slackToPlainText('您好，我来帮您查一下订单。'), '您好，我来帮您查一下订单。');
  });
});
