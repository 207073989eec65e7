/**
 * Turns an analysis into sparse features: words (stems), word bigrams,
 * character n-grams (Chinese characters 1–2, English 3–4 within a word-
 * boundary window) and lexicon concepts. Each family is weighted separately so
 * that the many character n-grams do not drown the few concepts.
 */
import type { Analysis } from './analyze.js';

export const FAMILIES = ['word', 'bigram', 'char', 'concept'] as const;
export type Family = (typeof FAMILIES)[number];

export interface FeatureOptions {
  readonly weights: Readonly<Record<Family, number>>;
  readonly latinCharMin: number;
  readonly latinCharMax: number;
  /** Character n-grams seen in fewer phrasings than this are dropped: hapaxes are mostly typos and cost memory. */
  readonly charMinDf: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  weights: { word: 1, bigram: 0.6, char: 1, concept: 0.8 },
  latinCharMin: 3,
  latinCharMax: 4,
  charMinDf: 2,
};

/** A function word counts this much of a content word (see lexicon/stopwords.yaml). */
export const STOPWORD_WEIGHT = 0.25;

const PREFIX: Record<Family, string> = { word: 'w', bigram: 'b', char: 'c', concept: 'k' };
export const FAMILY_OF_PREFIX: Readonly<Record<string, number>> = { w: 0, b: 1, c: 2, k: 3 };
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_RUN = /[a-z0-9']+(?: [a-z0-9']+)*/g;

const memo = new WeakMap<Analysis, { readonly opts: FeatureOptions; readonly features: ReadonlyMap<string, number> }>();

/**
 * extractFeatures, once per analysis and options: the FAQ, intent and risk
 * models read the same message, and each would otherwise extract it again.
 */
export function featuresOf(a: Analysis, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): ReadonlyMap<string, number> {
  const hit = memo.get(a);
  if (hit && hit.opts === opts) return hit.features;
  const features = extractFeatures(a, opts);
  memo.set(a, { opts, features });
  return features;
}

/** Raw term frequencies keyed by `<family prefix>:<feature>`. */
export function extractFeatures(a: Analysis, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Map<string, number> {
  const out = new Map<string, number>();
  const add = (family: Family, key: string, amount = 1): void => {
    const k = `${PREFIX[family]}:${key}`;
    out.set(k, (out.get(k) ?? 0) + amount);
  };
  const terms = a.tokens.map((t) => t.term);
  terms.forEach((t, i) => add('word', t, a.stop[i] ? STOPWORD_WEIGHT : 1));
  for (let i = 1; i < terms.length; i++) add('bigram', `${terms[i - 1]} ${terms[i]}`);
  addBoundaryBigrams(terms, add);
  const stopChars = new Set(a.tokens.filter((t, i) => a.stop[i] && t.script === 'han' && t.term.length === 1).map((t) => t.term));
  for (const run of a.normalized.match(HAN_RUN) ?? []) addHanGrams(run, stopChars, add);
  for (const run of a.normalized.match(LATIN_RUN) ?? []) addLatinGrams(` ${run} `, opts, add);
  for (const hit of a.concepts) add('concept', hit.concept);
  return out;
}

/** First and last words carry intent ("how …", "… please"); mark them. */
function addBoundaryBigrams(terms: readonly string[], add: (f: Family, k: string) => void): void {
  if (terms.length === 0) return;
  add('bigram', `^ ${terms[0]}`);
  add('bigram', `${terms[terms.length - 1]} $`);
}

function addHanGrams(run: string, stopChars: ReadonlySet<string>, add: (f: Family, k: string, amount?: number) => void): void {
  const chars = [...run];
  for (let i = 0; i < chars.length; i++) {
    add('char', chars[i] as string, stopChars.has(chars[i] as string) ? STOPWORD_WEIGHT : 1);
    if (i + 1 < chars.length) add('char', (chars[i] as string) + chars[i + 1]);
  }
}

function addLatinGrams(run: string, opts: FeatureOptions, add: (f: Family, k: string) => void): void {
  for (let n = opts.latinCharMin; n <= opts.latinCharMax; n++) {
    for (let i = 0; i + n <= run.length; i++) add('char', run.slice(i, i + n));
  }
}
