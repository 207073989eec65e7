/**
 * Builds the matcher for a knowledge base: every question (both languages),
 * alternate and answer becomes a phrasing of its FAQ, negative examples
 * become the "none" class, and the lexicon is the built-in one plus the KB's
 * own synonyms.
 */
import { Lexicon, type ConceptGroup } from '../../intents/lexicon.js';
import { DEFAULT_MATCHER_OPTIONS, Matcher, NONE_LABEL, type MatcherOptions, type Phrasing } from '../../intents/matcher.js';
import type { Faq, KnowledgeBase } from '../../kb/types.js';

export interface FaqIndex {
  readonly kb: KnowledgeBase;
  readonly matcher: Matcher;
  readonly faqs: ReadonlyMap<string, Faq>;
}

export function kbPhrasings(kb: KnowledgeBase): Phrasing[] {
  const out: Phrasing[] = [];
  for (const faq of kb.faqs) {
    for (const q of Object.values(faq.question)) out.push({ text: q, label: faq.id, field: 'question' });
    for (const a of faq.alternates) out.push({ text: a, label: faq.id, field: 'alternate' });
    for (const a of Object.values(faq.answer)) out.push({ text: a, label: faq.id, field: 'answer' });
  }
  for (const n of kb.negatives) out.push({ text: n, label: NONE_LABEL, field: 'negative' });
  return out;
}

export interface LanguageData {
  readonly concepts: readonly ConceptGroup[];
  readonly stopwords: readonly string[];
}

export function buildFaqIndex(kb: KnowledgeBase, builtin: LanguageData, opts: MatcherOptions = DEFAULT_MATCHER_OPTIONS): FaqIndex {
  const groups = [...builtin.concepts, ...kb.synonyms.map((terms, i) => ({ id: `kb${i}`, terms }))];
  const matcher = Matcher.build(kbPhrasings(kb), new Lexicon(groups, builtin.stopwords), opts);
  return { kb, matcher, faqs: new Map(kb.faqs.map((f) => [f.id, f])) };
}
