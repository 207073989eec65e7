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
import { FAQ_MATCHER_OPTIONS, Matcher, NONE_LABEL, type MatcherOptions, type Phrasing } from '../../intents/matcher.js';
import { RequestTopic } from '../../intents/request-topic.js';
import { RiskDetector } from '../../intents/risk.js';
import type { LanguageData } from '../../kb/language-data.js';
import { CONVERSATIONAL_INTENTS, type Faq, type KnowledgeBase } from '../../kb/types.js';
import { EscalationRouter } from './escalation.js';
import { ToneChecker } from './tone.js';

export interface FaqIndex {
  readonly kb: KnowledgeBase;
  /** The built-in lexicon plus the KB's synonyms, as the matcher and classifiers read messages. */
  readonly lexicon: Lexicon;
  readonly matcher: Matcher;
  readonly faqs: ReadonlyMap<string, Faq>;
  readonly intents: IntentClassifier;
  readonly emotion: EmotionScorer;
  readonly risks: RiskDetector;
  readonly router: EscalationRouter;
  /** What a request for a person is about, besides the request (转人工，我的快递丢了 → 我的快递丢了). */
  readonly requestTopic: RequestTopic;
  /** The KB's tone rules, for checking what agents write (built on first use). */
  readonly tone: ToneChecker;
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

/**
 * Builds the index; given the index of the KB before an edit, reuses what
 * the edit did not touch, so a hot reload is live in about a second: the
 * lexicon (same synonyms), the matcher warm-started from its old weights,
 * and the intent and risk classifiers (same intents and policy; their
 * counter-examples may then lag the edit's new questions until a restart).
 */
export function buildFaqIndex(kb: KnowledgeBase, builtin: LanguageData, opts: MatcherOptions = FAQ_MATCHER_OPTIONS, previous?: FaqIndex): FaqIndex {
  const sameWords = previous !== undefined && same(previous.kb.synonyms, kb.synonyms);
  const lexicon = sameWords ? previous.lexicon : new Lexicon([...builtin.concepts, ...kb.synonyms.map((terms, i) => ({ id: `kb${i}`, terms }))], builtin.stopwords, builtin.asking);
  const phrasings = kbPhrasings(kb);
  const matcher = sameWords ? previous.matcher.rebuild(phrasings) : Matcher.build(phrasings, lexicon, opts);
  const reuse = sameWords && same(previous.kb.intents, kb.intents) && same(previous.kb.policy, kb.policy) ? previous : undefined;
  const questions = [...phrasings.filter((p) => p.field === 'question' || p.field === 'alternate').map((p) => p.text), ...builtin.questions];
  let intents: IntentClassifier | undefined;
  let tone: ToneChecker | undefined;
  return {
    kb,
    lexicon,
    matcher,
    faqs: new Map(kb.faqs.map((f) => [f.id, f])),
    // Built on first use: a benchmark that only ranks FAQs never pays for it.
    get intents() {
      intents ??= reuse?.intents ?? IntentClassifier.build(kb.intents, questions, lexicon);
      return intents;
    },
    emotion: new EmotionScorer(kb.emotion),
    // Small talk and complaints are not risks either: they teach the risk classifier what a greeting looks like.
    risks: reuse?.risks ?? new RiskDetector(kb.policy.risks, [...kb.policy.ordinary, ...CONVERSATIONAL_INTENTS.flatMap((i) => kb.intents[i].examples)], questions, lexicon),
    router: new EscalationRouter(kb.escalation, kb.shop.defaultTeam),
    requestTopic: new RequestTopic([...kb.intents.ask_human.cues, ...(kb.intents.ask_human.requestWords ?? [])], lexicon),
    get tone() {
      tone ??= new ToneChecker(kb.tone, kb.phrasing);
      return tone;
    },
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
