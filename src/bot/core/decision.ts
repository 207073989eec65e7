/**
 * What the bot decides for one message. A discriminated union: every
 * consumer switches on `action` exhaustively. Emotion- and policy-driven
 * handoffs join the `handoff` variant with their own reasons.
 */
import type { Lang } from '../../kb/types.js';

export interface Suggestion {
  readonly faqId: string;
  readonly question: string;
  readonly confidence: number;
}

export type HandoffReason = 'faq_always_human';

interface DecisionBase {
  readonly confidence: number;
  readonly reply: string;
  readonly suggestions: readonly Suggestion[];
  readonly lang: Lang;
  /** Matched words and concepts (concepts prefixed with ~). */
  readonly why: readonly string[];
}

export type Decision =
  | (DecisionBase & { readonly action: 'answer'; readonly faqId: string })
  | (DecisionBase & { readonly action: 'clarify'; readonly faqId: null })
  | (DecisionBase & { readonly action: 'none'; readonly faqId: null })
  | (DecisionBase & { readonly action: 'handoff'; readonly faqId: string | null; readonly reason: HandoffReason });

export type Action = Decision['action'];
