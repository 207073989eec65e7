import assert from 'node:assert/strict';
import type { types } from '@slack/bolt';
import { maskPii } from '../../../../src/bot/core/mask.js';
import {
  claimConfirmationText,
  customerMessageText,
  escapeSlack,
  handoffBlocks,
  internalNoteText,
  LIMITS,
  transcriptText,
} from '../../../../src/bot/channels/slack/blocks.js';
import { ACTIONS, type HandoffCard } from '../../../../src/bot/channels/slack/handoff-card.js';

const HANDED_OFF = '2026-11-27T08:00:00.000Z';
const DUE = '2026-11-27T08:01:00.000Z';
const BEFORE_DUE = new Date('2026-11-27T08:00:30.000Z');
const AFTER_DUE = new Date('2026-11-27T08:05:00.000Z');

function card(over: Partial<HandoffCard> = {}): HandoffCard {
  return {
    sessionId: 's-7f3a9c',
    ticket: 'T1127-7K3QD',
    customer: '王芳',
    lang: 'zh',
    category: 'Shipping',
    emotion: { level: 'angry', cues: ['气死了'] },
    reason: 'complaint',
    summary: '快递三天没动，要求退款',
    handedOffAt: HANDED_OFF,
    dueBy: DUE,
    suggestions: [{ faqId: 'shipping-time', question: '多久发货？', confidence: 0.834 }],
    suggestedReply: '非常抱歉给您带来不便。\n物流服务组会尽快联系您。',
    escalation: {
      team: 'logistics',
      teamName: '物流服务组',
      channel: '#cs-logistics',
      supervisor: { name: '王敏', slack: 'U01LOGISTIC' },
      sla: { firstResponse: '1m', resolution: '24h' },
      urgent: false,
      causes: ['logistics', 'after_sales'],
      followUp: '72h',
    },
    state: 'waiting',
    owner: null,
    ...over,
  };
}

type Block = types.KnownBlock;

/** Every text a block shows, as Slack would receive it. */
function texts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => {
    switch (b.type) {
      case 'header':
        return [b.text.text];
      case 'section':
        return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
      case 'context':
        return b.elements.flatMap((e) => ('text' in e ? [e.text] : []));
      default:
        return [];
    }
  });
}

function buttons(blocks: readonly Block[]): types.Button[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.filter((e): e is types.Button => e.type === 'button') : []));
}

describe('Slack blocks', () => {
  describe('escapeSlack', () => {
    it('turns mentions, forged links and ampersands into plain text', () => {
      assert.equal(escapeSlack('<!channel> <!here>'), '&lt;!channel&gt; &lt;!here&gt;');
      assert.equal(escapeSlack('hi <@U123>'), 'hi &lt;@U123&gt;');
      assert.equal(escapeSlack('<https://evil.example|your bank>'), '&lt;https://evil.example|your bank&gt;');
      assert.equal(escapeSlack('A&B &amp;'), 'A&amp;B &amp;amp;');
    });

    it('leaves every other character as typed', () => {
      assert.equal(escapeSlack('您好 *bold* "quotes" \'it\'s\' @here 🌊'), '您好 *bold* "quotes" \'it\'s\' @here 🌊');
    });
  });

  describe('the handoff post', () => {
    it('shows the reason and ticket, the customer, SLA clock, escalation path, FAQs and the suggested reply', () => {
      const { blocks } = handoffBlocks(card(), BEFORE_DUE);
      const all = texts(blocks).join('\n');
      assert.equal(blocks[0]?.type, 'header');
      assert.match(texts(blocks)[0] ?? '', /Complaint · T1127-7K3QD/);
      assert.match(all, /\*Customer\*\n王芳/);
      assert.match(all, /\*Language\*\nChinese/);
      assert.match(all, /\*Category\*\nShipping/);
      assert.match(all, /angry \(气死了\)/);
      assert.match(all, /first reply due by <!date\^1795766460\^\{date_short_pretty\} \{time\}\|2026-11-27 08:01 UTC>/);
      assert.match(all, /物流服务组 \(#cs-logistics\)/);
      assert.match(all, /<@U01LOGISTIC> \(王敏\)/);
      assert.match(all, /first response 1m · resolution 24h/);
      assert.match(all, /logistics, after sales/);
      assert.match(all, /• 多久发货？ \(83%\)/);
      assert.match(all, /\*Suggested reply\*\n>非常抱歉给您带来不便。\n>物流服务组会尽快联系您。/);
      assert.doesNotMatch(all, /Overdue/);
    });

    it('calls a visitor without a verified name an anonymous visitor and marks an urgent path', () => {
      const urgent = card({ customer: null, reason: 'safety', escalation: { ...card().escalation, urgent: true, causes: [] } });
      const all = texts(handoffBlocks(urgent, BEFORE_DUE).blocks).join('\n');
      assert.match(all, /\*Customer\*\nanonymous visitor/);
      assert.match(all, /Urgent · Safety risk · T1127-7K3QD/);
      assert.match(all, /\*urgent\* · first response/);
      assert.doesNotMatch(all, /Complaint causes/);
    });

    it('marks a waiting handoff past its first-reply time as overdue', () => {
      assert.match(texts(handoffBlocks(card(), AFTER_DUE).blocks).join('\n'), /:warning: \*Overdue\*/);
      assert.doesNotMatch(texts(handoffBlocks(card({ state: 'claimed', owner: 'U0AGENT01' }), AFTER_DUE).blocks).join('\n'), /Overdue/);
    });

    it('escapes customer text everywhere it appears, so it cannot ping or forge a link', () => {
      const evil = '<!channel> <@U123> <https://evil.example|bank> & co';
      const c = card({
        customer: evil,
        category: evil,
        summary: evil,
        suggestedReply: evil,
        emotion: { level: 'upset', cues: [evil] },
        suggestions: [{ faqId: 'x', question: evil, confidence: 0.5 }],
      });
      const { text, blocks } = handoffBlocks(c, BEFORE_DUE);
      for (const t of [text, ...texts(blocks)]) {
        assert.doesNotMatch(t, /<!channel>|<@U123>|<https:/, t);
        assert.doesNotMatch(t, /& co/, t);
      }
      assert.match(texts(blocks).join('\n'), /&lt;!channel&gt; &lt;@U123&gt; &lt;https:\/\/evil\.example\|bank&gt; &amp; co/);
    });

    it('keeps Slack from parsing the card texts (verbatim mrkdwn)', () => {
      const { blocks } = handoffBlocks(card(), BEFORE_DUE);
      const mrkdwn = blocks.flatMap((b) => (b.type === 'section' ? [...(b.text ? [b.text] : []), ...(b.fields ?? [])] : []));
      assert.ok(mrkdwn.length > 0);
      for (const m of mrkdwn) assert.deepEqual([m.type, 'verbatim' in m && m.verbatim], ['mrkdwn', true]);
    });

    it('stays within Block Kit limits with a 10,000-character summary and reply', () => {
      const long = '&<>'.repeat(2000) + '我'.repeat(4000);
      const { text, blocks } = handoffBlocks(card({ summary: long, suggestedReply: '行\n'.repeat(2000), emotion: { level: 'distressed', cues: Array(500).fill('救命') } }), BEFORE_DUE);
      assert.ok(long.length >= 10_000);
      for (const b of blocks) {
        if (b.type === 'header') assert.ok(b.text.text.length <= LIMITS.headerText);
        if (b.type === 'section') {
          assert.ok((b.text?.text.length ?? 0) <= LIMITS.sectionText, `section of ${b.text?.text.length}`);
          assert.ok((b.fields ?? []).length <= LIMITS.fields);
          for (const f of b.fields ?? []) assert.ok(f.text.length <= LIMITS.fieldText);
        }
        if (b.type === 'actions') assert.ok(b.elements.length <= LIMITS.actions);
      }
      const summary = texts(blocks).find((t) => t.startsWith('*Summary*')) ?? '';
      assert.match(summary, /&lt;…$/, 'cut before a half entity (&gt), never through it');
      assert.ok(text.length < 300);
    });

    it('gives the notification text no unmasked phone number or customer name', () => {
      const summary = maskPii('手机13812345678，订单 20261127001 没收到货');
      const { text } = handoffBlocks(card({ summary, customer: '王芳' }), BEFORE_DUE);
      assert.match(text, /^Handoff T1127-7K3QD \(Complaint\): 手机138\*\*\*\*5678/);
      assert.doesNotMatch(text, /1[3-9]\d{9}/);
      assert.doesNotMatch(text, /王芳/);
    });
  });

  describe('buttons and state', () => {
    it('offers every action while waiting, each carrying the session id', () => {
      const { blocks } = handoffBlocks(card(), BEFORE_DUE);
      const bs = buttons(blocks);
      assert.deepEqual(
        bs.map((b) => [b.text.text, b.action_id, b.value]),
        [
          ['Claim', ACTIONS.claim, 's-7f3a9c'],
          ['Send suggestion', ACTIONS.sendSuggestion, 's-7f3a9c'],
          ['Edit and send', ACTIONS.editAndSend, 's-7f3a9c'],
          ['Escalate to supervisor', ACTIONS.escalate, 's-7f3a9c'],
          ['Return to bot', ACTIONS.returnToBot, 's-7f3a9c'],
          ['Resolve', ACTIONS.resolve, 's-7f3a9c'],
        ],
      );
      assert.equal(bs[0]?.style, 'primary');
      const resolve = bs.at(-1);
      assert.equal(resolve?.style, 'danger');
      assert.equal(resolve?.confirm?.style, 'danger');
      assert.match(resolve?.confirm?.text.text ?? '', /survey/);
      assert.match(texts(blocks).join('\n'), /Waiting for an agent/);
    });

    it('drops Claim once claimed and names the owner', () => {
      const { blocks } = handoffBlocks(card({ state: 'claimed', owner: 'U0AGENT01' }), BEFORE_DUE);
      assert.deepEqual(
        buttons(blocks).map((b) => b.action_id),
        [ACTIONS.sendSuggestion, ACTIONS.editAndSend, ACTIONS.escalate, ACTIONS.returnToBot, ACTIONS.resolve],
      );
      assert.match(texts(blocks).join('\n'), /Claimed by <@U0AGENT01>/);
    });

    it('shows no buttons on a resolved or returned card', () => {
      const resolved = handoffBlocks(card({ state: 'resolved', owner: 'U0AGENT01' }), AFTER_DUE).blocks;
      const returned = handoffBlocks(card({ state: 'returned' }), AFTER_DUE).blocks;
      assert.equal(resolved.some((b) => b.type === 'actions'), false);
      assert.equal(returned.some((b) => b.type === 'actions'), false);
      assert.match(texts(resolved).join('\n'), /Resolved/);
      assert.match(texts(returned).join('\n'), /Returned to the bot/);
      assert.doesNotMatch(texts(resolved).join('\n'), /Overdue/);
    });
  });

  describe('the thread', () => {
    it('writes the transcript one labelled, escaped line per message', () => {
      const text = transcriptText([
        { from: 'customer', text: '快递<!here>\n三天没动了' },
        { from: 'bot', text: '非常抱歉。' },
        { from: 'agent', text: '您好，我来帮您查。', agent: '李静' },
        { from: 'agent', text: 'ok' },
      ]);
      assert.equal(text, '*Customer:* 快递&lt;!here&gt; 三天没动了\n*Tact (bot):* 非常抱歉。\n*李静:* 您好，我来帮您查。\n*Agent:* ok');
    });

    it('keeps the most recent messages when the transcript is too long, and says how many are left out', () => {
      const lines = Array.from({ length: 100 }, (_, i) => ({ from: 'customer' as const, text: `message ${i} ${'x'.repeat(100)}` }));
      const text = transcriptText(lines);
      assert.ok(text.length <= LIMITS.sectionText);
      assert.match(text, /message 99 /);
      assert.doesNotMatch(text, /message 0 /);
      const shown = text.split('\n').length - 1;
      assert.match(text, new RegExp(`^_${100 - shown} earlier messages not shown_\n`));
    });

    it('cuts one huge message instead of letting it push out the rest', () => {
      const text = transcriptText([{ from: 'customer', text: 'first' }, { from: 'customer', text: '&'.repeat(5000) }]);
      assert.ok(text.length <= LIMITS.sectionText);
      assert.match(text, /^\*Customer:\* first\n\*Customer:\* (&amp;)+…$/);
    });

    it('relays a customer message escaped, and explains notes and claims to agents', () => {
      assert.equal(customerMessageText('<!channel> 在吗'), '*Customer:* &lt;!channel&gt; 在吗');
      assert.ok(customerMessageText('x'.repeat(10_000)).length <= LIMITS.sectionText);
      assert.match(internalNoteText('U0AGENT01'), /not sent to the customer.*<@U0AGENT01>/);
      assert.match(internalNoteText(null), /Claim the conversation/);
      assert.match(claimConfirmationText('U0AGENT01'), /^:raising_hand: <@U0AGENT01> claimed/);
      assert.doesNotMatch(claimConfirmationText('<!channel>'), /<!channel>/);
    });
  });
});
