/**
 * What agents see in Slack, as Block Kit: the handoff post built from a
 * HandoffCard, the transcript that opens its thread, and the short thread
 * messages (a customer's message relayed, the internal-note notice, the
 * claim). Pure functions: no I/O, and the clock is an argument.
 *
 * Every text that came from a customer (or could have) goes through
 * escapeSlack here, and every mrkdwn object is `verbatim`, so nothing a
 * customer types can ping people or show a link under a false name. Texts
 * are cut to Block Kit's limits, so a long message never makes Slack refuse
 * the post.
 */
import type { types } from '@slack/bolt';
import type { EmotionLevel, Lang } from '../../../kb/types.js';
import { REASON_LABELS } from '../../pipeline/reason-labels.js';
import { ACTIONS, type CardState, type HandoffCard } from './handoff-card.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type MrkdwnElement = types.MrkdwnElement;

/**
 * Block Kit's limits, from Slack's reference pages
 * (docs.slack.dev/reference/block-kit/blocks/section-block, header-block,
 * actions-block; block-elements/button-element; composition-objects/confirmation-dialog-object).
 */
export const LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  actions: 25,
  confirmText: 300,
} as const;

/** Room kept in a transcript for the "N earlier messages" note. */
const TRANSCRIPT_NOTE = 60;
/** One very long message must not push every other one out of the transcript. */
const TRANSCRIPT_LINE = 1000;
/** The notification text stays short: it shows on lock screens. */
const FALLBACK_SUMMARY = 150;
const MAX_FAQS = 5;
const FAQ_QUESTION = 200;

/** Slack member ids (U…, W… on Enterprise Grid); anything else is shown as text, never as a mention. */
const MEMBER_ID = /^[UW][A-Z0-9]{2,20}$/;


const EMOTIONS: Readonly<Record<EmotionLevel, string>> = {
  calm: 'calm',
  upset: ':worried: upset',
  angry: ':rage: angry',
  distressed: ':sos: distressed',
};

const LANGUAGES: Readonly<Record<Lang, string>> = { zh: 'Chinese', en: 'English' };

/**
 * Escapes Slack's three control characters, so text shows as typed and
 * cannot become a mention (`<!channel>`, `<!here>`, `<@U…>`,
 * `<!subteam^…>`), a date or a link with a false label (`<https://evil|bank>`).
 * Slack asks for exactly these three and no other entities
 * (https://docs.slack.dev/messaging/formatting-message-text, "Escaping text").
 *
 * A bare `@channel`/`@here`/`@everyone` needs nothing more: Slack only
 * notifies for the `<!here>` form in app posts (chat.postMessage's `parse`
 * defaults to `none`; the plain-text form stopped notifying in 2021, see
 * github.com/18F/charlie/pull/353 and slackapi/node-slack-sdk#662). The
 * app must not set `parse: 'full'` or `link_names: true` on posts carrying
 * customer text, and the blocks here are `verbatim`, which skips the
 * mrkdwn objects' own automatic parsing.
 *
 * @example escapeSlack('<!channel> A&B') // '&lt;!channel&gt; A&amp;B'
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The handoff post for the escalation path's channel. `text` is the
 * notification (no personal data beyond the masked summary); `blocks` the
 * card with buttons while the conversation is open.
 *
 * @example const { text, blocks } = handoffBlocks(card, new Date()); // chat.postMessage({ channel: card.escalation.channel, text, blocks })
 */
export function handoffBlocks(card: HandoffCard, now: Date): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(headerText(card), LIMITS.headerText), emoji: true } },
    { type: 'section', fields: detailFields(card, now) },
    { type: 'section', fields: escalationFields(card) },
    section(`*Summary*\n${card.summary === '' ? '_not said yet: ask the customer what the problem is_' : escapeSlack(card.summary)}`),
    ...(card.answered && card.answered.length > 0 ? [section(answeredText(card.answered))] : []),
    section(faqText(card)),
    section(`*Suggested reply*\n${quote(escapeSlack(card.suggestedReply))}`),
    { type: 'context', elements: [mrkdwn(stateLine(card))] },
  ];
  const buttons = actionButtons(card);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: fallbackText(card), blocks };
}

export interface TranscriptLine {
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  /** The agent's display name, for agent messages. */
  readonly agent?: string;
}

/**
 * The conversation so far, for the first reply in the post's thread: one
 * line per message, the most recent kept when it does not all fit.
 *
 * @example transcriptText([{ from: 'customer', text: '快递三天没动了' }]) // '*Customer:* 快递三天没动了'
 */
export function transcriptText(lines: readonly TranscriptLine[]): string {
  if (lines.length === 0) return '_No messages yet._';
  const budget = LIMITS.sectionText - TRANSCRIPT_NOTE;
  const kept: string[] = [];
  let size = 0;
  for (const line of [...lines].reverse().map(transcriptLine)) {
    if (size + line.length + 1 > budget) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  const omitted = lines.length - kept.length;
  if (omitted === 0) return kept.join('\n');
  return [`_${omitted} earlier ${omitted === 1 ? 'message' : 'messages'} not shown_`, ...kept].join('\n');
}

/** A customer's message relayed into the post's thread. */
export function customerMessageText(text: string): string {
  return `*Customer:* ${escaped(text, LIMITS.sectionText - 20)}`;
}

/** The ephemeral a thread reply gets when it is not the owner's: it stayed in Slack. */
export function internalNoteText(owner: string | null): string {
  const who = owner === null ? 'Claim the conversation to reply to the customer' : `Only ${userMention(owner)}, who claimed it, talks to the customer`;
  return `:memo: Internal note: this reply stays in Slack and was not sent to the customer. ${who}.`;
}

/** Posted in the thread when an agent claims the conversation. */
export function claimConfirmationText(agent: string): string {
  return `:raising_hand: ${userMention(agent)} claimed this conversation. Their replies in this thread go to the customer; everyone else's are internal notes.`;
}

function headerText(card: HandoffCard): string {
  const urgent = card.escalation.urgent ? ':rotating_light: Urgent · ' : '';
  return `${urgent}${REASON_LABELS[card.reason]} · ${card.ticket}`;
}

function detailFields(card: HandoffCard, now: Date): MrkdwnElement[] {
  const cues = card.emotion.cues.length > 0 ? ` (${escaped(card.emotion.cues.join(', '), 500)})` : '';
  return [
    field('Customer', card.customer === null ? 'anonymous visitor' : escaped(card.customer, 200)),
    field('Language', LANGUAGES[card.lang]),
    field('Category', card.category === null ? 'not identified' : escaped(card.category, 200)),
    ...(card.order ? [field('Order', escaped(card.order, 200))] : []),
    field('Emotion', `${EMOTIONS[card.emotion.level]}${cues}`),
    field('Reason', REASON_LABELS[card.reason]),
    field('SLA clock', slaClock(card, now)),
  ];
}

function escalationFields(card: HandoffCard): MrkdwnElement[] {
  const e = card.escalation;
  const sla = `first response ${escapeSlack(e.sla.firstResponse)} · resolution ${escapeSlack(e.sla.resolution)}`;
  const fields = [
    field('Team', `${escaped(e.teamName, 200)} (${escapeSlack(e.channel)})`),
    field('Supervisor', `${userMention(e.supervisor.slack)} (${escaped(e.supervisor.name, 100)})`),
    field('SLA', e.urgent ? `:rotating_light: *urgent* · ${sla}` : sla),
  ];
  if (e.causes.length > 0) fields.push(field('Complaint causes', escaped(e.causes.map((c) => c.replace(/_/g, ' ')).join(', '), 500)));
  return fields;
}

/** Overdue only while nobody has claimed it: after a claim the owner's own reminder takes over. */
function slaClock(card: HandoffCard, now: Date): string {
  const due = Date.parse(card.dueBy);
  const clock = `handed off ${slackDate(Date.parse(card.handedOffAt))}\nfirst reply due by ${slackDate(due)}`;
  return card.state === 'waiting' && now.getTime() > due ? `${clock}\n:warning: *Overdue*` : clock;
}

/** Shown in each reader's own time zone; the fallback (UTC) where Slack cannot format it. */
function slackDate(ms: number): string {
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** What the bot already answered in this conversation, so the agent does not answer it again. */
function answeredText(questions: readonly string[]): string {
  return `*Already answered by the bot*\n${questions
    .slice(0, MAX_FAQS)
    .map((q) => `• ${escaped(q, FAQ_QUESTION)}`)
    .join('\n')}`;
}

function faqText(card: HandoffCard): string {
  if (card.suggestions.length === 0) return '*Matched FAQs*\nnone';
  const lines = card.suggestions.slice(0, MAX_FAQS).map((s) => `• ${escaped(s.question, FAQ_QUESTION)} (${Math.round(s.confidence * 100)}%)`);
  return `*Matched FAQs*\n${lines.join('\n')}`;
}

function stateLine(card: HandoffCard): string {
  switch (card.state) {
    case 'waiting':
      return card.via === 'message'
        ? ':envelope: A message left while nobody could take the chat. Claim it to reply: the customer sees your reply the next time they open the chat, or call them back if they left a number.'
        : ':hourglass_flowing_sand: Waiting for an agent. Claim it to reply to the customer.';
    case 'claimed':
      return `:technologist: Claimed by ${card.owner === null ? 'an agent' : userMention(card.owner)}. Their replies in the thread go to the customer.`;
    case 'returned':
      return ':robot_face: Returned to the bot.';
    case 'resolved':
      return ':white_check_mark: Resolved. The customer was sent the survey.';
    case 'withdrawn':
      return ':leftwards_arrow_with_hook: The customer no longer needs a person (they cancelled the request or ended the chat).';
  }
}

/** Which buttons each state shows; a finished conversation shows none. */
function actionButtons(card: HandoffCard): Button[] {
  if (!isOpen(card.state)) return [];
  const id = card.sessionId;
  const claim = card.state === 'waiting' ? [button('Claim', ACTIONS.claim, id, 'primary')] : [];
  return [
    ...claim,
    button('Send suggestion', ACTIONS.sendSuggestion, id),
    button('Edit and send', ACTIONS.editAndSend, id),
    button('Escalate to supervisor', ACTIONS.escalate, id),
    button('Return to bot', ACTIONS.returnToBot, id),
    { ...button('Resolve', ACTIONS.resolve, id, 'danger'), confirm: resolveConfirm() },
  ];
}

function isOpen(state: CardState): boolean {
  return state === 'waiting' || state === 'claimed';
}

function button(label: string, actionId: string, sessionId: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text: label }, action_id: actionId, value: sessionId, ...(style ? { style } : {}) };
}

function resolveConfirm(): NonNullable<Button['confirm']> {
  return {
    title: { type: 'plain_text', text: 'Resolve this conversation?' },
    text: { type: 'plain_text', text: 'The customer is sent the satisfaction survey and the chat ends.' },
    confirm: { type: 'plain_text', text: 'Resolve' },
    deny: { type: 'plain_text', text: 'Cancel' },
    style: 'danger',
  };
}

function fallbackText(card: HandoffCard): string {
  const urgent = card.escalation.urgent ? 'Urgent handoff' : 'Handoff';
  return `${urgent} ${card.ticket} (${REASON_LABELS[card.reason]}): ${escaped(card.summary, FALLBACK_SUMMARY)}`;
}

function transcriptLine(line: TranscriptLine): string {
  const text = escaped(line.text.replace(/\s*\n\s*/g, ' '), TRANSCRIPT_LINE);
  return `*${speaker(line)}:* ${text}`;
}

function speaker(line: TranscriptLine): string {
  switch (line.from) {
    case 'customer':
      return 'Customer';
    case 'bot':
      return 'Tact (bot)';
    case 'agent':
      return line.agent ? escaped(line.agent, 80) : 'Agent';
  }
}

/** A member is mentioned as <@U…>, a user group (S…) as <!subteam^S…>; anything else is shown as text. */
export function userMention(id: string): string {
  if (id.startsWith('S') && MEMBER_ID.test(`U${id.slice(1)}`)) return `<!subteam^${id}>`;
  return MEMBER_ID.test(id) ? `<@${id}>` : escapeSlack(id);
}

/** Like sections, every field ends with the text that came from outside, so cutting it is safe. */
function field(label: string, value: string): MrkdwnElement {
  return mrkdwn(clip(`*${label}*\n${value}`, LIMITS.fieldText));
}

/** Customer text always ends a section, so cutting the end never breaks Tact's own markup (mentions, dates). */
function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(clip(text, LIMITS.sectionText)) };
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** Escaped, then cut to `max` characters. */
function escaped(text: string, max: number): string {
  return clip(escapeSlack(text), max);
}

/**
 * Cuts to `max` characters with "…", never through an entity (`&am`) or a
 * surrogate pair, so what is left still displays.
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text
    .slice(0, max - 1)
    .replace(/&[a-z]{0,3}$/, '')
    .replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}…`;
}
