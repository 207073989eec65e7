/**
 * The agent-facing pieces around a reply: the "Edit and send" modal,
 * prefilled with the standard's suggestion, and the tone coaching note an
 * agent gets when their reply breaks the service standard's tone rules.
 */
import type { types } from '@slack/bolt';
import type { Decision } from '../../core/decision.js';
import { dayFormatter, median } from '../../core/stats.js';
import type { ToneFinding } from '../../core/tone.js';
import { escapeSlack, userMention } from './blocks.js';
import { ACTIONS, type HandoffCard } from './handoff-card.js';

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

/** Posted in the thread when an agent escalates to the path's supervisor. */
export function escalationText(card: HandoffCard, by: string): string {
  return `:arrow_up: ${userMention(card.escalation.supervisor.slack)}, <@${by}> is asking you to take a look at ${card.ticket} (first response SLA ${card.escalation.sla.firstResponse}).`;
}

/** Posted in the thread when nobody has claimed a handoff by its first-response time. */
export function slaSupervisorText(card: HandoffCard): string {
  return `:alarm_clock: ${userMention(card.escalation.supervisor.slack)}, ${card.ticket} is still unclaimed past its first-response SLA (${card.escalation.sla.firstResponse}); the customer is waiting.`;
}

/** Posted in the thread when the owner has not answered within the first-response time of the claim. */
export function slaOwnerText(owner: string, sla: string): string {
  return `:alarm_clock: <@${owner}>, the customer has been waiting for your first reply for more than ${sla}.`;
}

/** The coaching note: what the reply did, and the standard's polite way to say it. */
export function toneCoachingText(findings: readonly ToneFinding[], held: boolean): string {
  const lines = findings.map((f) => {
    const what = f.phrase ? `“${escapeSlack(f.phrase)}” ${KINDS[f.kind]}` : KINDS[f.kind];
    return `• ${what}. Try: ${escapeSlack(f.rewrite)}`;
  });
  const state = held ? 'it is held: reply again in the thread, or send it as it is' : 'it was sent';
  return `:bulb: Tone check on your last reply (${state}):\n${lines.join('\n')}`;
}

/** Hold mode: the coaching note with a button to send the held reply anyway. */
export function heldReplyBlocks(sessionId: string, findings: readonly ToneFinding[]): { text: string; blocks: types.KnownBlock[] } {
  const text = toneCoachingText(findings, true);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text } },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTIONS.sendHeld, value: sessionId, text: { type: 'plain_text', text: 'Send as it is' } }] },
    ],
  };
}

/** A suggestion for the customer's latest message, in the thread, with a button to send it. */
export function liveSuggestionBlocks(sessionId: string, suggestion: string): { text: string; blocks: types.KnownBlock[] } {
  const text = `:speech_balloon: Suggested reply: ${escapeSlack(suggestion)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: text.slice(0, 2900) } },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTIONS.sendLive, value: sessionId, text: { type: 'plain_text', text: 'Send' } }] },
    ],
  };
}

export interface KbHit {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly confidence: number;
}

/** How to use the slash command. */
export const COMMAND_HELP = 'Usage: `/tact suggest <customer message>` for a suggested reply, matched FAQs and the escalation path; `/tact kb <query>` to search the knowledge base.';
/** An FAQ answer in a command's reply is cut to this many characters. */
const ANSWER_PREVIEW = 300;

/** `/tact suggest`: what the bot would do with the message, for an agent answering by phone or e-mail. */
export function suggestionText(message: string, d: Decision): string {
  const lines = [`*Customer:* ${escapeSlack(message)}`, `*Suggested reply:*\n>${escapeSlack(d.suggestedReply).replace(/\n/g, '\n>')}`];
  if (d.suggestions.length > 0) lines.push(`*Matched FAQs:*\n${d.suggestions.map((s) => `• ${escapeSlack(s.question)} (${Math.round(s.confidence * 100)}%)`).join('\n')}`);
  if (d.action === 'handoff') {
    const e = d.escalation;
    lines.push(`*Escalation path:* ${escapeSlack(e.teamName)} (${e.channel}), supervisor ${userMention(e.supervisor.slack)}, SLA first response ${e.sla.firstResponse} · resolution ${e.sla.resolution}${e.urgent ? ' · urgent' : ''} (reason: ${d.handoffReason})`);
  }
  return lines.join('\n\n');
}

/** `/tact kb`: the closest FAQs with the start of their answers. */
export function kbResultsText(query: string, hits: readonly KbHit[]): string {
  if (hits.length === 0) return `No FAQ matches “${escapeSlack(query)}”.`;
  const rows = hits.map((h) => {
    const answer = h.answer.length > ANSWER_PREVIEW ? `${h.answer.slice(0, ANSWER_PREVIEW)}…` : h.answer;
    return `• *${escapeSlack(h.question)}* (\`${h.id}\`, ${Math.round(h.confidence * 100)}%)\n${escapeSlack(answer)}`;
  });
  return `FAQs for “${escapeSlack(query)}”:\n${rows.join('\n')}`;
}

/** Posted in the thread when the customer rates the conversation. */
export function ratingText(score: number, comment: string | null): string {
  const stars = '★'.repeat(score) + '☆'.repeat(5 - score);
  return `:memo: The customer rated this conversation ${stars} (${score}/5)${comment ? `: “${escapeSlack(comment)}”` : ''}.`;
}

/** Survey scores at or below this are a task for the case's owner. */
export const LOW_RATING = 2;

/** Posted in the thread after a low survey score: who follows it up. */
export function lowRatingTaskText(who: string): string {
  return `:warning: Follow-up task: ${userMention(who)}, the customer was not satisfied. Please contact them (in this chat, or by phone if they left a number), find out what went wrong, and note it here.`;
}

/** Posted in the thread when a resolved complaint's follow-up (回访) is due. */
export function followUpDueText(ticket: string, who: string, call: boolean): string {
  return call
    ? `:telephone_receiver: Follow-up (回访) due for ${ticket}: ${userMention(who)}, please call the customer on the contact they left and ask whether the issue is resolved; they are also asked in the chat when they are next there.`
    : `:speech_balloon: Follow-up (回访) due for ${ticket}: the customer is asked in the chat whether the issue is resolved (now if they are there, else when they come back). ${userMention(who)} will see the answer here.`;
}

/** Posted in the thread when service hours begin and a message left while the team was away still waits for anyone. */
export function callBackDueText(ticket: string, supervisor: string): string {
  return `:sunrise: We are open again: ${ticket} was left as a message while the team was away, and the customer was promised an answer as soon as we are back. ${userMention(supervisor)}, please make sure someone claims it and contacts them now.`;
}

/** Posted in the thread when the customer answers the follow-up. */
export function followUpAnsweredText(ticket: string, solved: boolean | null): string {
  if (solved === true) return `:white_check_mark: Follow-up of ${ticket}: the customer says the issue is resolved.`;
  if (solved === false) return `:rotating_light: Follow-up of ${ticket}: the customer says the issue is *not* resolved; the complaint is reopened under ${ticket} (a new card follows).`;
  return `:grey_question: Follow-up of ${ticket}: the customer did not say whether the issue is resolved.`;
}

export function withdrawnText(why: 'cancelled' | 'ended'): string {
  return why === 'cancelled' ? ':leftwards_arrow_with_hook: The customer cancelled the request for a person before anyone claimed it.' : ':door: The customer ended the chat before anyone claimed it.';
}

/** Today's numbers and the agent's queue, for the app's Home tab. */
export function homeView(cards: readonly HandoffCard[], user: string, now: Date, timezone: string, duty: { readonly onDuty: boolean; readonly agentsOnDuty: number }): types.HomeView {
  const dayOf = dayFormatter(timezone);
  const today = dayOf(now.getTime());
  const todays = cards.filter((c) => dayOf(Date.parse(c.handedOffAt)) === today);
  const firstReplies = todays.flatMap((c) => (c.answeredAt ? [Date.parse(c.answeredAt) - Date.parse(c.handedOffAt)] : []));
  const ratings = todays.flatMap((c) => (c.rating !== undefined ? [c.rating] : []));
  const waiting = cards.filter((c) => c.state === 'waiting');
  const mine = cards.filter((c) => c.state === 'claimed' && c.owner === user);
  const breaching = cards.filter((c) => c.state === 'waiting' && now.getTime() > Date.parse(c.dueBy));
  const list = (title: string, items: readonly HandoffCard[]): types.KnownBlock => ({
    type: 'section',
    text: { type: 'mrkdwn', verbatim: true, text: `*${title}* (${items.length})\n${items.slice(0, 15).map((c) => `• ${c.ticket} · ${escapeSlack(c.escalation.teamName)} · ${escapeSlack(c.summary.slice(0, 80))}`).join('\n') || '_none_'}` },
  });
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Tact: your queue' } },
      dutyBlock(duty.onDuty, duty.agentsOnDuty),
      list('Breaching SLA', breaching),
      list('Unclaimed', waiting),
      list('Mine', mine),
      { type: 'divider' },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Handoffs today*\n${todays.length}` },
          { type: 'mrkdwn', text: `*Median first response*\n${formatMinutes(median(firstReplies))}` },
          { type: 'mrkdwn', text: `*CSAT today*\n${ratings.length > 0 ? `${(ratings.reduce((a, b) => a + b, 0) / ratings.length).toFixed(1)} / 5 (${ratings.length} ratings)` : '–'}` },
        ],
      },
    ],
  };
}

/** Action id of the Home tab's on/off duty button; its value is the state it switches to. */
export const DUTY_ACTION = 'tact_duty';

/**
 * The on-duty toggle: customers are offered the queue only while someone is
 * on duty (otherwise they are asked to leave a message), and waits are
 * estimated from how many are.
 */
function dutyBlock(onDuty: boolean, agentsOnDuty: number): types.KnownBlock {
  const others = onDuty ? agentsOnDuty - 1 : agentsOnDuty;
  const text = onDuty
    ? `:large_green_circle: *You are on duty.* Customers who ask for a person join the queue. ${others > 0 ? `${others} other agent${others === 1 ? ' is' : 's are'} on duty.` : 'Nobody else is on duty.'}`
    : `:white_circle: *You are off duty.* ${agentsOnDuty > 0 ? `${agentsOnDuty} agent${agentsOnDuty === 1 ? ' is' : 's are'} on duty.` : 'Nobody is on duty: customers who ask for a person are asked to leave a message.'}`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    accessory: { type: 'button', action_id: DUTY_ACTION, value: onDuty ? 'off' : 'on', text: { type: 'plain_text', text: onDuty ? 'Go off duty' : 'Go on duty' }, ...(onDuty ? {} : { style: 'primary' as const }) },
  };
}

/** "45 s", "3 min 5 s"; a dash when there is nothing to measure. */
function formatMinutes(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Posted in the thread when an agent saved a reply to the KB. */
export function savedFaqText(faqId: string, kind: 'alternate' | 'new', user: string): string {
  return kind === 'new' ? `:books: <@${user}> saved this as a new FAQ \`${escapeSlack(faqId)}\`; it is live once the server reloads the knowledge base.` : `:books: <@${user}> added the customer's question as a phrasing of FAQ \`${escapeSlack(faqId)}\`.`;
}
