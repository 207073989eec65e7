/**
 * The FAQ stage of a decision, from the matcher's ranking and the KB's
 * thresholds, before the conversation policy has its say:
 *
 *   confidence ≥ answerThreshold and clearly ahead → answer with the top FAQ
 *   confidence ≥ clarifyThreshold                  → clarify with the top 3 (those at
 *                                                    or above it); a lone suggestion
 *                                                    only at LONE_SUGGESTION or more
 *   otherwise, when it looks like a negative, or when the message shares
 *   nothing with the top FAQ but asking words (什么时候下雨 vs. 什么时候发货:
 *   no evidence, see the matcher)                  → none (empty: nothing typed)
 */
import type { Candidate, MatchResult } from '../../intents/matcher.js';
import type { Faq, KbSettings, Lang } from '../../kb/types.js';
import type { Suggestion } from './decision.js';
import type { FaqIndex } from './faq-index.js';
import { pick } from './phrasing.js';

/** How far ahead the top FAQ must be of the runner-up to answer without asking. */
export const ANSWER_MARGIN = 0.08;
export const MAX_SUGGESTIONS = 3;
/**
 * "Did you mean" with a single FAQ is offered only this sure: one weak
 * suggestion is mostly an unrelated FAQ ("who's your CEO?" → the VAT
 * invoice), and the apology with a person to talk to serves better. On the
 * development shops this halved the off-topic questions met with a
 * suggestion (skincare 53 → 23%) for 0–1.5 points of top-3.
 */
export const LONE_SUGGESTION = 0.3;

export type FaqOutcome =
  | { readonly kind: 'empty'; readonly confidence: 0; readonly suggestions: readonly [] }
  | { readonly kind: 'answer'; readonly faq: Faq; readonly confidence: number; readonly blended: number; readonly suggestions: readonly Suggestion[] }
  | { readonly kind: 'clarify' | 'none'; readonly confidence: number; readonly suggestions: readonly Suggestion[] };

export function faqOutcome(index: FaqIndex, m: MatchResult, settings: KbSettings): FaqOutcome {
  const lang = m.analysis.lang;
  const [top, second] = m.candidates;
  if (m.analysis.normalized === '') return { kind: 'empty', confidence: 0, suggestions: [] };
  if (!top) return { kind: 'none', confidence: 0, suggestions: [] };
  const suggestions = m.candidates.filter((c) => c.confidence >= settings.clarifyThreshold).map((c) => suggestion(index, c, lang));
  const looksNegative = m.noneScore > top.blended;
  if (looksNegative || top.confidence < settings.clarifyThreshold || m.evidence.length === 0) return { kind: 'none', confidence: top.confidence, suggestions };
  const clear = !second || top.confidence - second.confidence >= ANSWER_MARGIN;
  if (top.confidence >= settings.answerThreshold && clear) return { kind: 'answer', faq: index.faqs.get(top.faqId) as Faq, confidence: top.confidence, blended: top.blended, suggestions };
  if (suggestions.length === 1 && top.confidence < LONE_SUGGESTION) return { kind: 'none', confidence: top.confidence, suggestions };
  return { kind: 'clarify', confidence: top.confidence, suggestions };
}

/** The category of the best FAQ, when it is at least worth suggesting. */
export function likelyCategory(index: FaqIndex, m: MatchResult, settings: KbSettings): string | null {
  const top = m.candidates[0];
  return top && top.confidence >= settings.clarifyThreshold ? (index.faqs.get(top.faqId)?.category ?? null) : null;
}

function suggestion(index: FaqIndex, c: Candidate, lang: Lang): Suggestion {
  const faq = index.faqs.get(c.faqId) as Faq;
  return { faqId: c.faqId, question: pick(faq.question, lang), confidence: round(c.confidence) };
}

export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
