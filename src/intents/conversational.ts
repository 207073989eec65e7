/**
 * Recognises what a message does in the conversation — greets, thanks,
 * asks for a person, complains, says yes or no, rates, chats — alongside
 * FAQ matching. A small matcher learns the intents from the KB's examples
 * (intents.yaml), against a sample of the KB's own FAQ phrasings as the
 * "not conversational" class, so "我要投诉" and "投诉进度在哪看" are told
 * apart by the same kind of model that ranks FAQs.
 */
import type { Analysis } from './analyze.js';
import type { Lexicon } from './lexicon.js';
import { DEFAULT_MATCHER_OPTIONS, Matcher, NONE_LABEL, type Phrasing } from './matcher.js';
import { mulberry32, shuffle } from './softmax.js';
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
  private constructor(private readonly matcher: Matcher) {}

  /** `faqTexts` are the KB's questions and alternates; they teach what is not small talk. */
  static build(examples: IntentExamples, faqTexts: readonly string[], lexicon: Lexicon): IntentClassifier {
    const phrasings: Phrasing[] = CONVERSATIONAL_INTENTS.flatMap((intent) => examples[intent].map((text) => ({ text, label: intent, field: 'alternate' as const })));
    const own = new Set(phrasings.map((p) => p.text));
    for (const text of sample(faqTexts.filter((t) => !own.has(t)), MAX_COUNTER_EXAMPLES)) phrasings.push({ text, label: NONE_LABEL, field: 'negative' });
    return new IntentClassifier(Matcher.build(phrasings, lexicon, DEFAULT_MATCHER_OPTIONS));
  }

  /** The most likely conversational intent, or null when the message is not one (an FAQ question, say). */
  classify(analysis: Analysis): IntentGuess | null {
    const m = this.matcher.matchAnalysis(analysis, 1);
    const top = m.candidates[0];
    if (!top || top.confidence < INTENT_THRESHOLD || top.confidence <= m.noneScore) return null;
    return { intent: top.faqId as ConversationalIntent, confidence: top.confidence };
  }
}

function sample(texts: readonly string[], n: number): readonly string[] {
  if (texts.length <= n) return texts;
  const order = Int32Array.from(texts.keys());
  shuffle(order, mulberry32(7));
  return Array.from(order.subarray(0, n), (i) => texts[i] as string);
}
