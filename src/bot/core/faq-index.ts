/**
 * Compiles a knowledge base into what the decision core consults per
 * message: the FAQ matcher (every question, alternate and answer a phrasing
 * of its FAQ, negatives the "none" class, the built-in lexicon plus the KB's
 * synonyms), the conversational-intent classifier, the emotion scorer, the
 * risk detector and the escalation router.
 */
import { IntentClassifier } from '../../intents/conversational.js';
import { EmotionScorer } from '../../intents/emotion.js';
import { Lexicon } from '../../intents/lexicon.js';
import { DEFAULT_MATCHER_OPTIONS, Matcher, NONE_LABEL, type MatcherOptions, type Phrasing } from '../../intents/matcher.js';
import { RiskDetector } from '../../intents/risk.js';
import type { LanguageData } from '../../kb/language-data.js';
import { CONVERSATIONAL_INTENTS, type Faq, type KnowledgeBase } from '../../kb/types.js';
import { EscalationRouter } from './escalation.js';

export interface FaqIndex {
  readonly kb: KnowledgeBase;
  readonly matcher: Matcher;
  readonly faqs: ReadonlyMap<string, Faq>;
  readonly intents: IntentClassifier;
  readonly emotion: EmotionScorer;
  readonly risks: RiskDetector;
  readonly router: EscalationRouter;
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

export function buildFaqIndex(kb: KnowledgeBase, builtin: LanguageData, opts: MatcherOptions = DEFAULT_MATCHER_OPTIONS): FaqIndex {
  const groups = [...builtin.concepts, ...kb.synonyms.map((terms, i) => ({ id: `kb${i}`, terms }))];
  const lexicon = new Lexicon(groups, builtin.stopwords);
  const phrasings = kbPhrasings(kb);
  const questions = [...phrasings.filter((p) => p.field === 'question' || p.field === 'alternate').map((p) => p.text), ...builtin.questions];
  let intents: IntentClassifier | undefined;
  return {
    kb,
    matcher: Matcher.build(phrasings, lexicon, opts),
    faqs: new Map(kb.faqs.map((f) => [f.id, f])),
    // Built on first use: a benchmark that only ranks FAQs never pays for it.
    get intents() {
      intents ??= IntentClassifier.build(kb.intents, questions, lexicon);
      return intents;
    },
    emotion: new EmotionScorer(kb.emotion),
    // Small talk and complaints are not risks either: they teach the risk classifier what a greeting looks like.
    risks: new RiskDetector(kb.policy.risks, [...kb.policy.ordinary, ...CONVERSATIONAL_INTENTS.flatMap((i) => kb.intents[i].examples)], questions, lexicon),
    router: new EscalationRouter(kb.escalation),
  };
}
