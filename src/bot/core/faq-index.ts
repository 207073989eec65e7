/**
 * Compiles a knowledge base into what the decision core consults per
 * message: the FAQ matcher (every question, alternate and answer a phrasing
 * of its FAQ, negatives the "none" class, the built-in lexicon plus the KB's
 * synonyms), the conversational-intent classifier, the emotion scorer, the
 * risk detector and the escalation router.
 */
import { IntentClassifier } from '../../intents/conversational.js';
import { EmotionScorer } from '../../intents/emotion.js';
import { Lexicon, type LexiconSnapshot } from '../../intents/lexicon.js';
import { FAQ_MATCHER_OPTIONS, type MatcherOptions } from '../../intents/matcher-options.js';
import { Matcher, NONE_LABEL, type MatcherSnapshot, type Phrasing } from '../../intents/matcher.js';
import { RequestTopic } from '../../intents/request-topic.js';
import { RiskDetector } from '../../intents/risk.js';
import type { LanguageData } from '../../kb/language-data.js';
import { CONVERSATIONAL_INTENTS, type Faq, type KnowledgeBase } from '../../kb/types.js';
import { EscalationRouter } from './escalation.js';
import { ToneChecker } from './tone.js';

export interface FaqIndex {
  readonly kb: KnowledgeBase;
  /** The built-in language data it was built with. */
  readonly builtin: LanguageData;
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
  const lexicon = sameWords ? previous.lexicon : lexiconOf(kb, builtin);
  const phrasings = kbPhrasings(kb);
  const matcher = sameWords ? previous.matcher.rebuild(phrasings) : Matcher.build(phrasings, lexicon, opts);
  const reuse = sameWords && same(previous.kb.intents, kb.intents) && same(previous.kb.policy, kb.policy) ? previous : undefined;
  const questions = customerQuestions(kb, builtin);
  return assemble(kb, builtin, lexicon, matcher, {
    intents: () => reuse?.intents ?? IntentClassifier.build(kb.intents, questions, lexicon),
    risks: () => reuse?.risks ?? new RiskDetector(kb.policy.risks, riskCounterExamples(kb), questions, lexicon),
  });
}

/** What a built index learned, with the KB and language data it was built from: enough to restore it without training. */
export interface IndexSnapshot {
  readonly kb: KnowledgeBase;
  readonly builtin: LanguageData;
  readonly lexicon: LexiconSnapshot;
  readonly faq: MatcherSnapshot;
  readonly intents: MatcherSnapshot;
  readonly risks: MatcherSnapshot | null;
}

/** Snapshots an index (building its lazily built classifiers now). */
export function snapshotIndex(index: FaqIndex): IndexSnapshot {
  return { kb: index.kb, builtin: index.builtin, lexicon: index.lexicon.snapshot(), faq: index.matcher.snapshot(), intents: index.intents.snapshot(), risks: index.risks.snapshot() };
}

/** The index a snapshot was taken of, answering exactly as it did. `opts` must be the options it was built with. */
export function restoreIndex(s: IndexSnapshot, opts: MatcherOptions = FAQ_MATCHER_OPTIONS): FaqIndex {
  const { kb, builtin } = s;
  const lexicon = Lexicon.restore(s.lexicon);
  return assemble(kb, builtin, lexicon, Matcher.restore(s.faq, lexicon, opts), {
    intents: () => IntentClassifier.restore(kb.intents, s.intents, lexicon),
    risks: () => new RiskDetector(kb.policy.risks, riskCounterExamples(kb), customerQuestions(kb, builtin), lexicon, s.risks),
  });
}

function assemble(kb: KnowledgeBase, builtin: LanguageData, lexicon: Lexicon, matcher: Matcher, make: { intents: () => IntentClassifier; risks: () => RiskDetector }): FaqIndex {
  let intents: IntentClassifier | undefined;
  let tone: ToneChecker | undefined;
  return {
    kb,
    builtin,
    lexicon,
    matcher,
    faqs: new Map(kb.faqs.map((f) => [f.id, f])),
    // Built on first use: a benchmark that only ranks FAQs never pays for it.
    get intents() {
      intents ??= make.intents();
      return intents;
    },
    emotion: new EmotionScorer(kb.emotion),
    risks: make.risks(),
    router: new EscalationRouter(kb.escalation, kb.shop.defaultTeam),
    requestTopic: new RequestTopic([...kb.intents.ask_human.cues, ...(kb.intents.ask_human.requestWords ?? [])], lexicon),
    get tone() {
      tone ??= new ToneChecker(kb.tone, kb.phrasing);
      return tone;
    },
  };
}

function lexiconOf(kb: KnowledgeBase, builtin: LanguageData): Lexicon {
  return new Lexicon([...builtin.concepts, ...kb.synonyms.map((terms, i) => ({ id: `kb${i}`, terms }))], builtin.stopwords, builtin.asking);
}

/** Ordinary customer questions (the KB's and the reference KB's): what the intent and risk classifiers learn is neither. */
function customerQuestions(kb: KnowledgeBase, builtin: LanguageData): string[] {
  return [...kbPhrasings(kb).filter((p) => p.field === 'question' || p.field === 'alternate').map((p) => p.text), ...builtin.questions];
}

/** Small talk and complaints are not risks either: they teach the risk classifier what a greeting looks like. */
function riskCounterExamples(kb: KnowledgeBase): string[] {
  return [...kb.policy.ordinary, ...CONVERSATIONAL_INTENTS.flatMap((i) => kb.intents[i].examples)];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
