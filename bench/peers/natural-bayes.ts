/**
 * Benchmark peer: natural's BayesClassifier (multinomial-ish naive Bayes over
 * binary word features), used as a natural user would: addDocument for every
 * training phrasing (`oos` is just another class), train(), getClassifications.
 *
 * Only the classifier module is required: `import 'natural'` loads every model
 * it ships (~0.9 s) and prints dotenv lines.
 *
 * Tokens: natural's default stemmer (Porter + aggressive tokenizer + English
 * stop-word removal) drops CJK entirely, so the stemmer we pass keeps that
 * behaviour for the non-CJK part and adds each CJK character as a token.
 *
 * Score: natural returns prior × Π P(feature|class) per class, unnormalised;
 * we normalise over all classes so the score is the posterior P(label | text)
 * (sums to 1 over classes). If every value underflows to 0 (very long input),
 * the posterior is recomputed in log space from the classifier's counts.
 */
import { createRequire } from 'node:module';
import { separateCjk } from './cjk.js';
import type { Example, Peer, Prediction } from './peer.js';

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
type BayesCtor = new (stemmer?: Stemmer) => BayesClassifier;

const require = createRequire(import.meta.url);
const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js') as BayesCtor;
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;

/** natural's default English pipeline, plus one token per CJK character. */
const cjkAwareStemmer: Stemmer = {
  tokenizeAndStem(text: string, keepStops?: boolean): string[] {
    const { chars, rest } = separateCjk(text);
    return [...porter.tokenizeAndStem(rest, keepStops), ...chars];
  },
};

/** Log posterior numerators, mirroring apparatus' probabilityOfClass in log space. */
function logScores(c: BayesClassifier, text: string): Classification[] {
  const { classFeatures, classTotals, totalExamples, smoothing } = c.classifier;
  const features = c.textToFeatures(text);
  return Object.keys(classFeatures).map((label) => {
    const total = classTotals[label] ?? 1;
    let value = Math.log(total / totalExamples);
    features.forEach((on, i) => {
      if (on) value += Math.log((classFeatures[label]?.[i] ?? smoothing) / total);
    });
    return { label, value };
  });
}

/** Top label with its probability normalised over all classes. */
function posteriorTop(c: BayesClassifier, text: string): Prediction {
  const ranked = c.getClassifications(text);
  const top = ranked[0];
  if (top === undefined) return { label: 'oos', score: 0 };
  const sum = ranked.reduce((s, r) => s + r.value, 0);
  if (sum > 0 && Number.isFinite(sum)) return { label: top.label, score: top.value / sum };
  return softmaxTop(logScores(c, text));
}

function softmaxTop(logs: Classification[]): Prediction {
  const best = logs.reduce((a, b) => (b.value > a.value ? b : a));
  const sum = logs.reduce((s, r) => s + Math.exp(r.value - best.value), 0);
  return { label: best.label, score: 1 / sum };
}

export function naturalBayesPeer(): Peer {
  let classifier = new Bayes(cjkAwareStemmer);
  return {
    name: 'natural BayesClassifier',
    async train(examples: readonly Example[]): Promise<void> {
      classifier = new Bayes(cjkAwareStemmer);
      for (const e of examples) classifier.addDocument(e.text, e.label);
      classifier.train();
    },
    predict(text: string): Prediction {
      return posteriorTop(classifier, text);
    },
  };
}
