/**
 * What a matcher is built with: feature and training options, how the
 * signals are blended, and what the FAQ matcher adds over the small intent
 * and risk models (spelling, FAQ relevance, calibrated confidence).
 */
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features.js';
import { DEFAULT_SOFTMAX_OPTIONS, type SoftmaxOptions } from './softmax.js';

/** Where a phrasing comes from in the KB. */
export type Field = 'question' | 'alternate' | 'answer' | 'negative';

export interface MatcherOptions {
  readonly features: FeatureOptions;
  readonly softmax: SoftmaxOptions;
  /**
   * How much each field's phrasings count in training. Answers count less (they
   * are about the reply, not the question) but they count: in a KB imported
   * with few alternates, the answer holds most of the words a customer uses.
   * The nearest-phrasing signal treats every field alike.
   */
  readonly fieldWeights: Readonly<Record<Field, number>>;
  /** Confidence = blend × probability + (1 − blend) × nearest similarity. */
  readonly blend: number;
  /** Above this many FAQs, training normalizes each phrasing over its most confusable FAQs only (sampled softmax). */
  readonly trainingCandidates: number;
  /** Training starts from each FAQ's centroid times this (0: from zero); a good start needs fewer epochs. */
  readonly centroidInit: number;
  /**
   * Read English typos as the words this matcher knows (spelling.ts). On for
   * FAQs; off for the small intent and risk models, whose few examples would
   * pull ordinary words ("press", "hiring") towards theirs.
   */
  readonly correctSpelling: boolean;
  /**
   * How much FAQ-level relevance (faq-docs.ts) adds to the ranking score, and
   * whether confidence is the calibrated probability of being right
   * (confidence.ts). On for FAQs; the intent and risk models keep the plain
   * blend, which their own thresholds are set on.
   */
  readonly relevanceWeight: number;
  readonly calibrated: boolean;
  /**
   * The nearest-phrasing search skips features found in more than this share
   * of phrasings (function characters, " th"): they cost most of a lookup
   * and move every similarity alike. null: only on KBs of 2,000+ phrasings.
   */
  readonly commonFeatureShare: number | null;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  features: DEFAULT_FEATURE_OPTIONS,
  softmax: DEFAULT_SOFTMAX_OPTIONS,
  fieldWeights: { question: 1.5, alternate: 1, answer: 0.4, negative: 1 },
  blend: 0.8,
  trainingCandidates: 200,
  centroidInit: 8,
  correctSpelling: false,
  relevanceWeight: 0,
  calibrated: false,
  // The intent and risk models hold thousands of ordinary questions as counter-examples: most of their features are common.
  commonFeatureShare: 0.05,
};

/** The FAQ matcher's options: English typos corrected, FAQ relevance in the ranking, calibrated confidence. */
export const FAQ_MATCHER_OPTIONS: MatcherOptions = { ...DEFAULT_MATCHER_OPTIONS, correctSpelling: true, relevanceWeight: 2, calibrated: true, commonFeatureShare: null };
