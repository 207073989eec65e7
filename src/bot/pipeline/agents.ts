/**
 * Where agents hear about conversations: a surface for people (the Slack
 * app; later the admin page) implements this, and the scripts tell it when
 * a customer is handed off and what they say while a person has them. The
 * surface answers through the desk, never by calling the scripts back.
 */
import type { Suggestion, EmotionReading } from '../core/decision.js';
import type { Escalation } from '../core/escalation.js';
import type { HandoffReason, Lang } from '../../kb/types.js';
import { maskPii } from '../core/mask.js';
import type { StoredCase, StoredFile } from '../store/store.js';

export interface HandoffNotice {
  readonly sessionId: string;
  readonly ticket: string;
  readonly reason: HandoffReason;
  readonly escalation: Escalation;
  readonly lang: Lang;
  /** The customer's verified name, or null. */
  readonly customer: string | null;
  /** The customer's problem in one or two of their sentences, personal data masked ('' when not said yet; case-summary.ts). */
  readonly summary: string;
  /** The order number the customer gave, or null. */
  readonly order: string | null;
  /** Questions the bot already answered in this conversation. */
  readonly answered: readonly string[];
  readonly category: string | null;
  readonly emotion: EmotionReading;
  readonly suggestions: readonly Suggestion[];
  /** The standard's first reply for an agent, in the customer's language, masked. */
  readonly suggestedReply: string;
  readonly at: Date;
  /** When the first reply is due by the team's SLA. */
  readonly dueBy: Date;
  /** What intake collected (a complaint's order number, wishes, contact), or what a customer wrote in the message form. */
  readonly details: Readonly<Record<string, string>>;
  /** Waiting in the queue for a live chat, or a message left because nobody could take the chat (answer it in the conversation or by phone). */
  readonly via: 'queue' | 'message';
}

/** The case as stored with the handoff, masked, so the admin page shows what Slack was shown. */
export function caseRecord(c: Pick<HandoffNotice, 'summary' | 'order' | 'answered' | 'emotion' | 'suggestedReply'>): StoredCase {
  return { summary: maskPii(c.summary), order: c.order === null ? null : maskPii(c.order), answered: c.answered, emotion: c.emotion.level, suggestedReply: maskPii(c.suggestedReply) };
}

export interface AgentSurface {
  handedOff(notice: HandoffNotice): Promise<void>;
  /** A customer message in a conversation waiting for or talking to a person, with the photo or PDF it carried. */
  customerSaid(sessionId: string, text: string, file?: StoredFile | null): Promise<void>;
  /** The customer stopped waiting: they cancelled the request for a person, or ended the chat. */
  withdrawn(sessionId: string, why: 'cancelled' | 'ended'): Promise<void>;
  /** The customer rated the conversation in the survey. */
  rated(sessionId: string, score: number, comment: string | null): Promise<void>;
  /**
   * A resolved complaint's follow-up came due: `call` when the customer left contact details at intake (the case's
   * owner calls them), else they are asked in the chat.
   */
  followUpDue(sessionId: string, ticket: string, call: boolean): Promise<void>;
  /** Service hours began: a message left while the team was away, promised an answer now, is still waiting for anyone. */
  callBackDue(sessionId: string, ticket: string): Promise<void>;
  /** The customer answered the follow-up in the chat: solved, not solved (the complaint is reopened), or did not say. */
  followUpAnswered(sessionId: string, ticket: string, solved: boolean | null): Promise<void>;
  /** True while agents cannot be reached (Slack down): waiting customers are told the wait is longer. */
  delayed(): boolean;
}

/** No agent surface configured: handoffs wait in the queue (the server says so at startup). */
export const NO_AGENTS: AgentSurface = {
  handedOff: async () => undefined,
  customerSaid: async () => undefined,
  withdrawn: async () => undefined,
  rated: async () => undefined,
  followUpDue: async () => undefined,
  callBackDue: async () => undefined,
  followUpAnswered: async () => undefined,
  delayed: () => false,
};
