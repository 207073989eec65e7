/**
 * Where agents hear about conversations: a surface for people (the Slack
 * app; later the admin page) implements this, and the scripts tell it when
 * a customer is handed off and what they say while a person has them. The
 * surface answers through the desk, never by calling the scripts back.
 */
import type { Suggestion, EmotionReading } from '../core/decision.js';
import type { Escalation } from '../core/escalation.js';
import type { HandoffReason, Lang } from '../../kb/types.js';

export interface HandoffNotice {
  readonly sessionId: string;
  readonly ticket: string;
  readonly reason: HandoffReason;
  readonly escalation: Escalation;
  readonly lang: Lang;
  /** The customer's verified name, or null. */
  readonly customer: string | null;
  /** The customer's problem in one line, personal data masked. */
  readonly summary: string;
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

export interface AgentSurface {
  handedOff(notice: HandoffNotice): Promise<void>;
  /** A customer message in a conversation waiting for or talking to a person. */
  customerSaid(sessionId: string, text: string): Promise<void>;
  /** The customer stopped waiting: they cancelled the request for a person, or ended the chat. */
  withdrawn(sessionId: string, why: 'cancelled' | 'ended'): Promise<void>;
  /** The customer rated the conversation in the survey. */
  rated(sessionId: string, score: number, comment: string | null): Promise<void>;
  /** True while agents cannot be reached (Slack down): waiting customers are told the wait is longer. */
  delayed(): boolean;
}

/** No agent surface configured: handoffs wait in the queue (the server says so at startup). */
export const NO_AGENTS: AgentSurface = {
  handedOff: async () => undefined,
  customerSaid: async () => undefined,
  withdrawn: async () => undefined,
  rated: async () => undefined,
  delayed: () => false,
};
