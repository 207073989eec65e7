/**
 * natural's BayesClassifier as both Bayes peers use it (intent matching and
 * the binary emotion tasks): one token per CJK character on top of natural's
 * English pipeline, and the class scores in log space, for when apparatus'
 * own probabilities underflow to 0 on long texts.
 */
import { createRequire } from 'node:module';
import { separateCjk } from './cjk.js';

interface Stemmer {
  tokenizeAndStem(text: string, keepStops?: boolean): string[];
}
export interface Classification {
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
export interface BayesClassifier {
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

export function newBayes(): BayesClassifier {
  return new Bayes(cjkAwareStemmer);
}

/** Log posterior numerators, mirroring apparatus' probabilityOfClass in log space. */
export function logScores(c: BayesClassifier, text: string): Classification[] {
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
