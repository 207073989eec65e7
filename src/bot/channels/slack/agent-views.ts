/**
 * The agent-facing pieces around a reply: the "Edit and send" modal,
 * prefilled with the standard's suggestion, and the tone coaching note an
 * agent gets when their reply breaks the service standard's tone rules.
 */
import type { types } from '@slack/bolt';
import type { ToneFinding } from '../../core/tone.js';
import { escapeSlack } from './blocks.js';
import type { HandoffCard } from './handoff-card.js';

/** The modal's callback id and its input's block and action ids. */
export const EDIT_MODAL = { callbackId: 'tact_edit_send_modal', block: 'reply', action: 'text' } as const;
/** Slack's cap on a plain-text input. */
const MAX_INPUT = 3000;

export function editReplyModal(card: HandoffCard): types.ModalView {
  return {
    type: 'modal',
    callback_id: EDIT_MODAL.callbackId,
    private_metadata: card.sessionId,
    title: { type: 'plain_text', text: 'Reply to the customer' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: EDIT_MODAL.block,
        label: { type: 'plain_text', text: `Your reply (${card.ticket})` },
        element: { type: 'plain_text_input', action_id: EDIT_MODAL.action, multiline: true, max_length: MAX_INPUT, initial_value: card.suggestedReply.slice(0, MAX_INPUT) },
      },
    ],
  };
}

const KINDS: Readonly<Record<ToneFinding['kind'], string>> = {
  cold: 'sounds cold',
  curt: 'sounds curt',
  buck_passing: 'passes the customer on',
  argue: 'argues with the customer',
  rude: 'is rude',
  overpromise: 'promises what we may not keep',
  informal_pronoun: 'uses 你 where the standard asks for 您',
  missing_greeting: 'has no greeting (first reply)',
  missing_apology: 'has no apology (the customer is upset)',
};

/** The coaching note: what the reply did, and the standard's polite way to say it. */
export function toneCoachingText(findings: readonly ToneFinding[]): string {
  const lines = findings.map((f) => {
    const what = f.phrase ? `“${escapeSlack(f.phrase)}” ${KINDS[f.kind]}` : KINDS[f.kind];
    return `• ${what}. Try: ${escapeSlack(f.rewrite)}`;
  });
  return `:bulb: Tone check on your last reply (it was sent):\n${lines.join('\n')}`;
}
