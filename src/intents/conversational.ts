/**
 * Recognises what a message does in the conversation — greets, thanks,
 * asks for a person, complains, says yes or no, rates, chats — alongside
 * FAQ matching. Two parts:
 *  - cues (intents.yaml): phrases that alone mean an intent, whatever else
 *    the message says ("麻烦转人工，发票抬头写错了" asks for a person);
 *  - a small matcher that learns the intents from their examples, against
 *    ordinary customer questions (the KB's own and the reference KB's) as the
 *    "not conversational" class, so "我要投诉" and "投诉进度在哪看" are told
 *    apart by the same kind of model that ranks FAQs.
 */
import { analyze, type Analysis } from './analyze.js';
import type { Lexicon } from './lexicon.js';
import { DEFAULT_MATCHER_OPTIONS } from './matcher-options.js';
import { Matcher, NONE_LABEL, type MatcherSnapshot, type Phrasing } from './matcher.js';
import { sample } from './softmax.js';
import { TermSet } from './terms.js';
import { CONVERSATIONAL_INTENTS, type ConversationalIntent, type IntentExamples } from '../kb/types.js';

export interface IntentGuess {
  readonly intent: ConversationalIntent;
  readonly confidence: number;
}

/** FAQ phrasings sampled as counter-examples: enough to teach "this is a question", few enough to build fast on any KB. */
const MAX_COUNTER_EXAMPLES = 1500;
/** An intent is taken only at this confidence and ahead of the "not conversational" score. */
export const INTENT_THRESHOLD = 0.45;

export class IntentClassifier {
  private constructor(
    private readonly matcher: Matcher,
    private readonly cues: TermSet<ConversationalIntent>,
  ) {}

  /** `questions` are ordinary customer questions (FAQ phrasings); they teach what is not small talk. */
  static build(intents: IntentExamples, questions: readonly string[], lexicon: Lexicon): IntentClassifier {
    const cues = cueSet(intents);
    const phrasings: Phrasing[] = CONVERSATIONAL_INTENTS.flatMap((intent) => intents[intent].examples.map((text) => ({ text, label: intent, field: 'alternate' as const })));
    const own = new Set(phrasings.map((p) => p.text));
    // A KB phrasing that is really an intent ("我要投诉" as an alternate of "how do I complain?") must not teach the opposite.
    const counter = questions.filter((t) => !own.has(t) && !hasCue(cues, t, lexicon));
    for (const text of sample(counter, MAX_COUNTER_EXAMPLES)) phrasings.push({ text, label: NONE_LABEL, field: 'negative' });
    return new IntentClassifier(Matcher.build(phrasings, lexicon, DEFAULT_MATCHER_OPTIONS), cues);
  }

  /** A classifier from a stored build of the same intents and lexicon. */
  static restore(intents: IntentExamples, model: MatcherSnapshot, lexicon: Lexicon): IntentClassifier {
    return new IntentClassifier(Matcher.restore(model, lexicon, DEFAULT_MATCHER_OPTIONS), cueSet(intents));
  }

  snapshot(): MatcherSnapshot {
    return this.matcher.snapshot();
  }

  /** The most likely conversational intent, or null when the message is not one (an FAQ question, say). */
  classify(analysis: Analysis): IntentGuess | null {
    const [cue] = this.cues.find(analysis.normalized, analysis.tokens).sort((a, b) => CONVERSATIONAL_INTENTS.indexOf(a.value) - CONVERSATIONAL_INTENTS.indexOf(b.value));
    if (cue) return { intent: cue.value, confidence: 1 };
    const m = this.matcher.matchAnalysis(analysis, 1);
    const top = m.candidates[0];
    if (!top || top.confidence < INTENT_THRESHOLD || top.confidence <= m.noneScore) return null;
    return { intent: top.faqId as ConversationalIntent, confidence: top.confidence };
  }
}

function cueSet(intents: IntentExamples): TermSet<ConversationalIntent> {
  return new TermSet(CONVERSATIONAL_INTENTS.flatMap((intent) => intents[intent].cues.map((phrase) => ({ phrase, value: intent }))));
}

function hasCue(cues: TermSet<ConversationalIntent>, text: string, lexicon: Lexicon): boolean {
  const a = analyze(text, lexicon);
  return cues.find(a.normalized, a.tokens).length > 0;
}
