/**
 * The decision for one message, from the matcher's ranking and the KB's
 * thresholds. Pure: same index, same message, same decision.
 *
 *   confidence ≥ answerThreshold and clearly ahead → answer (or handoff for an "always human" FAQ)
 *   confidence ≥ clarifyThreshold                  → clarify with the top 3
 *   otherwise, or when it looks like a negative    → none
 */
import type { Candidate, MatchResult } from '../../intents/matcher.js';
import type { Faq, KbSettings, Lang } from '../../kb/types.js';
import type { Decision, Suggestion } from './decision.js';
import type { FaqIndex } from './faq-index.js';
import { phrase, pick } from './phrasing.js';

/** How far ahead the top FAQ must be of the runner-up to answer without asking. */
export const ANSWER_MARGIN = 0.08;
export const MAX_SUGGESTIONS = 3;

export function decide(index: FaqIndex, text: string, settings: KbSettings = index.kb.settings): Decision {
  return decideFrom(index, index.matcher.match(text, MAX_SUGGESTIONS), settings);
}

export function decideFrom(index: FaqIndex, m: MatchResult, settings: KbSettings): Decision {
  const lang = m.analysis.lang;
  const lib = index.kb.phrasing;
  const [top, second] = m.candidates;
  const base = { lang, why: m.why };
  if (m.analysis.normalized === '' || !top) {
    return { ...base, action: 'none', faqId: null, confidence: 0, reply: phrase(lib, m.analysis.normalized === '' ? 'empty.reply' : 'none.reply', lang), suggestions: [] };
  }
  const suggestions = m.candidates.filter((c) => c.confidence >= settings.clarifyThreshold).map((c) => suggestion(index, c, lang));
  const looksNegative = m.noneScore > top.confidence;
  if (looksNegative || top.confidence < settings.clarifyThreshold) {
    return { ...base, action: 'none', faqId: null, confidence: top.confidence, reply: phrase(lib, 'none.reply', lang), suggestions };
  }
  const clear = !second || top.confidence - second.confidence >= ANSWER_MARGIN;
  if (top.confidence >= settings.answerThreshold && clear) {
    const faq = index.faqs.get(top.faqId) as Faq;
    const reply = pick(faq.answer, lang);
    if (faq.handoff) return { ...base, action: 'handoff', reason: 'faq_always_human', faqId: faq.id, confidence: top.confidence, reply, suggestions };
    return { ...base, action: 'answer', faqId: faq.id, confidence: top.confidence, reply, suggestions };
  }
  return { ...base, action: 'clarify', faqId: null, confidence: top.confidence, reply: phrase(lib, 'clarify.intro', lang), suggestions };
}

function suggestion(index: FaqIndex, c: Candidate, lang: Lang): Suggestion {
  const faq = index.faqs.get(c.faqId) as Faq;
  return { faqId: c.faqId, question: pick(faq.question, lang), confidence: round(c.confidence) };
}

export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
