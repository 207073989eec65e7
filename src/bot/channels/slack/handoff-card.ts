/**
 * What agents see of a handed-off conversation in Slack, as plain data: the
 * Slack channel builds it from the session and the decision, blocks.ts turns
 * it into Block Kit. Every text in it is already masked for personal data;
 * blocks.ts escapes it for Slack.
 */
import type { Escalation } from '../../core/escalation.js';
import type { Suggestion } from '../../core/decision.js';
import { BOT, type HandoffState } from '../../core/handoff.js';
import { maskPii } from '../../core/mask.js';
import type { HandoffNotice } from '../../pipeline/agents.js';
import type { EmotionLevel, HandoffReason, Lang } from '../../../kb/types.js';

/** `withdrawn`: the customer cancelled the request or ended the chat before anyone claimed it. */
export type CardState = 'waiting' | 'claimed' | 'returned' | 'resolved' | 'withdrawn';

export interface HandoffCard {
  readonly sessionId: string;
  readonly ticket: string;
  /** The customer's verified name (masked), or null for an anonymous visitor. */
  readonly customer: string | null;
  readonly lang: Lang;
  /** The FAQ category's display name, or null when the matcher could not tell. */
  readonly category: string | null;
  readonly emotion: { readonly level: EmotionLevel; readonly cues: readonly string[] };
  readonly reason: HandoffReason;
  /** The customer's problem in one or two of their sentences, masked ('' when not said yet). */
  readonly summary: string;
  /** The order number the customer gave (absent on cards from before it was shown). */
  readonly order?: string | null;
  /** Questions the bot already answered in the conversation (absent on cards from before it was shown). */
  readonly answered?: readonly string[];
  /** ISO times: when the handoff happened, and when the first reply is due by the SLA. */
  readonly handedOffAt: string;
  readonly dueBy: string;
  /** FAQs the matcher found closest. */
  readonly suggestions: readonly Suggestion[];
  /** The standard's suggested first reply, in the customer's language. */
  readonly suggestedReply: string;
  readonly escalation: Escalation;
  readonly state: CardState;
  /** A message the customer left because nobody could take the chat (absent: waiting in the queue). */
  readonly via?: 'message';
  /** The agent who claimed it (Slack user id), once claimed. */
  readonly owner: string | null;
  /** ISO times of the claim and of the owner's first reply to the customer. */
  readonly claimedAt?: string;
  readonly answeredAt?: string;
  /** SLA reminders already sent, so each goes out once. */
  readonly remindedSupervisor?: boolean;
  readonly remindedOwner?: boolean;
  /** The customer's survey score, 1–5, once given. */
  readonly rating?: number;
  /** The suggestion for the customer's latest message (the thread's Send button sends it). */
  readonly liveSuggestion?: string;
  /** A reply held for its tone, waiting for the agent to confirm (hold mode). */
  readonly held?: { readonly user: string; readonly text: string };
}

/** Button action ids on the handoff post (the Bolt app listens for these). */
export const ACTIONS = {
  claim: 'tact_claim',
  sendSuggestion: 'tact_send_suggestion',
  editAndSend: 'tact_edit_send',
  escalate: 'tact_escalate',
  returnToBot: 'tact_return',
  resolve: 'tact_resolve',
  sendLive: 'tact_send_live',
  sendHeld: 'tact_send_held',
} as const;

/**
 * A fresh handoff's card, waiting for an agent: the category by its display
 * name, and every text masked here, the last step before Slack (masking
 * twice changes nothing): the suggested reply addresses the customer by the
 * name the host site gave, which may be an e-mail address or a phone number.
 */
export function newCard(notice: HandoffNotice, categoryName: (id: string) => string | null): HandoffCard {
  return {
    sessionId: notice.sessionId,
    ticket: notice.ticket,
    customer: notice.customer === null ? null : maskPii(notice.customer),
    lang: notice.lang,
    category: notice.category === null ? null : categoryName(notice.category),
    emotion: { level: notice.emotion.level, cues: notice.emotion.cues },
    reason: notice.reason,
    summary: maskPii(notice.summary),
    order: notice.order === null ? null : maskPii(notice.order),
    answered: notice.answered,
    handedOffAt: notice.at.toISOString(),
    dueBy: notice.dueBy.toISOString(),
    suggestions: notice.suggestions,
    suggestedReply: maskPii(notice.suggestedReply),
    escalation: notice.escalation,
    state: 'waiting',
    owner: null,
    ...(notice.via === 'message' ? { via: 'message' as const } : {}),
  };
}

/**
 * The card as a handoff state (core/handoff.ts), its agent known by Slack
 * user id, so what agents do on it is checked by the rules every surface
 * uses: a claim on a card another agent holds is refused (already_claimed),
 * as is one on a card returned, resolved or withdrawn (not_open).
 */
export function cardHandoff(card: HandoffCard): HandoffState {
  const handoff = { reason: card.reason, team: card.escalation.team, channel: card.escalation.channel, ticket: card.ticket, at: card.handedOffAt };
  const waiting: HandoffState = { kind: card.via === 'message' ? 'message' : 'queued', handoff };
  switch (card.state) {
    case 'waiting':
      return waiting;
    case 'claimed':
      return card.owner === null ? waiting : { kind: 'agent', handoff, agent: card.owner, away: false };
    case 'returned':
    case 'resolved':
    case 'withdrawn':
      return BOT;
  }
}
