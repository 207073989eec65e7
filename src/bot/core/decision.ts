/**
 * What the bot decides for one customer message. A discriminated union:
 * every consumer switches on `action` exhaustively.
 *
 *   answer     the top FAQ's answer
 *   clarify    "which of these did you mean?" with the top suggestions
 *   none       nothing fits: a polite apology and an offer of a person
 *   smalltalk  a greeting, thanks, goodbye, yes/no, rating or chit-chat, answered in kind; a job,
 *              partnership or press enquiry is told where to turn
 *   handoff    a person takes over, for `handoffReason`, via `escalation`
 */
import type { ConversationalIntent, EmotionLevel, HandoffReason, Lang } from '../../kb/types.js';
import type { Escalation } from './escalation.js';

export interface Suggestion {
  readonly faqId: string;
  readonly question: string;
  readonly confidence: number;
}

export interface EmotionReading {
  readonly score: number;
  readonly level: EmotionLevel;
  /** What raised the score, for agents. */
  readonly cues: readonly string[];
}

interface DecisionBase {
  readonly confidence: number;
  /** What the bot says to the customer. */
  readonly reply: string;
  readonly suggestions: readonly Suggestion[];
  readonly lang: Lang;
  /** Matched words and concepts (concepts prefixed with ~). */
  readonly why: readonly string[];
  readonly intent: ConversationalIntent | null;
  readonly emotion: EmotionReading;
  /** The FAQ category the message is about, when the matcher is confident enough to say. */
  readonly category: string | null;
  /** What an agent should send, in the standard's phrasing (PII masked). */
  readonly suggestedReply: string;
}

interface NotHandedOff {
  readonly handoffReason: null;
  readonly escalation: null;
}

export type Decision =
  | (DecisionBase & NotHandedOff & { readonly action: 'answer'; readonly faqId: string })
  | (DecisionBase & NotHandedOff & { readonly action: 'clarify'; readonly faqId: null })
  | (DecisionBase & NotHandedOff & { readonly action: 'none'; readonly faqId: null })
  | (DecisionBase & NotHandedOff & { readonly action: 'smalltalk'; readonly faqId: null })
  | (DecisionBase & { readonly action: 'handoff'; readonly faqId: string | null; readonly handoffReason: HandoffReason; readonly escalation: Escalation });

export type Action = Decision['action'];
