/**
 * Confidence that means something: the probability that a candidate is the
 * FAQ the customer means, from every signal the matcher has about it — its
 * blended score and how far it leads the others, how much of the message
 * its FAQ covers (faq-docs.ts), the classifier's probability, the nearest
 * phrasing, how much the message looks like a negative example, the content
 * words it shares with the FAQ, and how much of the message the KB knows at
 * all. A logistic model combines them.
 *
 * The weights are fitted by `node dist/bench/fit-confidence.js` on the
 * development shops (the lamp and skincare shops and the demo KB's cases),
 * never on the shops the benchmark holds out; the bench's reliability table
 * shows how well they hold there (confidence bucket → share right).
 */

export interface ConfidenceSignals {
  /** Blended score plus weighted FAQ relevance: what candidates are ranked by. */
  readonly score: number;
  /** Score minus the best other candidate's (negative when another leads). */
  readonly lead: number;
  /** Share of the message's word and concept weight the FAQ covers. */
  readonly relevance: number;
  readonly relevanceLead: number;
  /** Probability and nearest-phrasing similarity blended (the matcher's score before relevance). */
  readonly blended: number;
  readonly probability: number;
  readonly similarity: number;
  /** How much the message looks like a negative example. */
  readonly noneScore: number;
  /** Content words and concepts shared with the FAQ's nearest phrasing. */
  readonly evidence: number;
  /** Share of the message's content words that some phrasing of the KB uses. */
  readonly coverage: number;
  /** FAQs in the KB: in a small KB, the one FAQ that shares a word is not yet the one meant. */
  readonly faqs: number;
}

/** The KB sizes the weights were fitted on: a KB outside them is read as the nearest, never extrapolated (CLINC150's 150 intents would read as surer than any shop). */
export const FITTED_FAQS = { min: 6, max: 70 } as const;

/** The model's inputs, in a fixed order (the weights below follow it). */
export function signalVector(s: ConfidenceSignals): number[] {
  return [1, s.score, s.lead, s.relevance, s.relevanceLead, s.blended, s.probability, s.similarity, s.noneScore, Math.min(s.evidence, 4) / 4, s.coverage, Math.log(Math.min(FITTED_FAQS.max, Math.max(FITTED_FAQS.min, s.faqs)))];
}

/** Fitted weights (bias first), see the file comment. */
export const CONFIDENCE_WEIGHTS: readonly number[] = [-9.242, 1.344, 1.719, 0.607, 1.149, 0.131, 0.738, 1.157, -3.589, 2.516, -0.05, 1.634];

/** The probability that the candidate is right, in [0, 1]. */
export function calibratedConfidence(s: ConfidenceSignals, weights: readonly number[] = CONFIDENCE_WEIGHTS): number {
  const x = signalVector(s);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (x[i] as number) * (weights[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** A runner-up's confidence is the top's times (its score / the top's score) to this power. */
const RUNNER_UP_SHARPNESS = 4;

/**
 * Confidences for ranked candidates, given the top one's (calibrated) and
 * every candidate's ranking score. The model is calibrated on the top
 * candidate; a runner-up is as likely as its score is close to the top's.
 * At most one FAQ is the one meant: the runners-up share what the top
 * leaves (1 − its confidence), so the confidences never add up to more than
 * 1 and a near tie reads as one.
 */
export function candidateConfidences(top: number, scores: readonly number[]): number[] {
  const topScore = scores[0] ?? 0;
  const rest = scores.slice(1).map((s) => (topScore <= 0 ? top : top * (s / topScore) ** RUNNER_UP_SHARPNESS));
  const total = rest.reduce((sum, c) => sum + c, 0);
  const left = 1 - top;
  return [top, ...(total <= left ? rest : rest.map((c) => (c * left) / total))];
}
