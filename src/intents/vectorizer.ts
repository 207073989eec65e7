/**
 * TF-IDF over the feature families: sublinear term frequency (fractional
 * counts, from down-weighted function words, stay linear), smoothed IDF,
 * each family L2-normalized and scaled by its weight, then the whole vector
 * L2-normalized. Fit on the KB's phrasings; unknown features are ignored.
 */
import type { FeatureBag } from './feature-bag.js';
import { FAMILIES, FAMILY_OF_PREFIX, type FeatureOptions } from './features.js';

export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

export interface VectorizerState {
  readonly features: readonly string[];
  readonly idf: Float32Array;
}

/**
 * Every feature a vectorizer in this thread knows, numbered once. A message
 * is read by three vectorizers (FAQs, intents, risks), each with its own
 * vocabulary of tens of thousands of features: looking each of its features
 * up once here, then in each vectorizer's array, costs a third of looking it
 * up in each vectorizer's map. Only vectorizers add to it (never a message),
 * so hostile input cannot grow it; it grows as KBs are loaded.
 */
const NUMBERED = new Map<string, number>();

function numberOf(feature: string): number {
  let n = NUMBERED.get(feature);
  if (n === undefined) {
    n = NUMBERED.size;
    NUMBERED.set(feature, n);
  }
  return n;
}

/** A message's features as numbers and counts (unknown to every vectorizer: left out), in the message's order. */
interface Numbered {
  /** NUMBERED's size when this was made: a vectorizer made since may know more of the message. */
  readonly known: number;
  readonly numbers: Int32Array;
  readonly counts: Float64Array;
}

const NUMBERED_MESSAGES = new WeakMap<ReadonlyMap<string, number>, Numbered>();

function numbered(raw: ReadonlyMap<string, number>): Numbered {
  const hit = NUMBERED_MESSAGES.get(raw);
  if (hit && hit.known === NUMBERED.size) return hit;
  const numbers = new Int32Array(raw.size);
  const counts = new Float64Array(raw.size);
  let m = 0;
  for (const [feature, count] of raw) {
    const n = NUMBERED.get(feature);
    if (n === undefined) continue;
    numbers[m] = n;
    counts[m++] = count;
  }
  const made = { known: NUMBERED.size, numbers: numbers.subarray(0, m), counts: counts.subarray(0, m) };
  NUMBERED_MESSAGES.set(raw, made);
  return made;
}

export class Vectorizer {
  private readonly index = new Map<string, number>();
  /** This vectorizer's index of each NUMBERED feature (-1: not one of its own). */
  private readonly local: Int32Array;
  private readonly idf: Float32Array;
  private readonly family: Int8Array;
  private readonly weights: Float32Array;

  private constructor(features: readonly string[], idf: Float32Array, opts: FeatureOptions) {
    features.forEach((f, i) => this.index.set(f, i));
    const numbers = features.map(numberOf);
    this.local = new Int32Array(NUMBERED.size).fill(-1);
    numbers.forEach((n, i) => (this.local[n] = i));
    this.idf = idf;
    this.family = Int8Array.from(features, (f) => FAMILY_OF_PREFIX[f[0] as string] ?? 0);
    this.weights = Float32Array.from(FAMILIES, (f) => opts.weights[f]);
  }

  /** Learns the vocabulary and IDF from documents' raw features. */
  static fit(docs: readonly FeatureBag[], opts: FeatureOptions): Vectorizer {
    const df = new Map<string, number>();
    for (const doc of docs) doc.forEach((_count, key) => df.set(key, (df.get(key) ?? 0) + 1));
    const minDf = docs.length >= 1000 ? opts.charMinDf : 1;
    const features = [...df.keys()].filter((f) => f[0] !== 'c' || (df.get(f) as number) >= minDf).sort();
    const n = docs.length;
    const idf = Float32Array.from(features, (f) => Math.log((1 + n) / (1 + (df.get(f) as number))) + 1);
    return new Vectorizer(features, idf, opts);
  }

  static restore(state: VectorizerState, opts: FeatureOptions): Vectorizer {
    return new Vectorizer(state.features, state.idf, opts);
  }

  get size(): number {
    return this.idf.length;
  }

  indexOf(feature: string): number | undefined {
    return this.index.get(feature);
  }

  /** The feature's inverse document frequency: low for words many phrasings use. */
  idfOf(i: number): number {
    return this.idf[i] as number;
  }

  featureName(i: number): string {
    return this.names[i] as string;
  }

  private namesCache: string[] | undefined;
  private get names(): string[] {
    this.namesCache ??= [...this.index.keys()];
    return this.namesCache;
  }

  state(): VectorizerState {
    return { features: this.names, idf: this.idf };
  }

  transform(raw: FeatureBag): SparseVector {
    // Typed scratch arrays sized to the message: this runs three times per customer message.
    const idx = new Int32Array(raw.size);
    const val = new Float64Array(raw.size);
    const sumsq = new Float64Array(FAMILIES.length);
    let m = 0;
    const add = (tf: number, i: number): void => {
      const w = (tf > 1 ? 1 + Math.log(tf) : tf) * (this.idf[i] as number);
      idx[m] = i;
      val[m++] = w;
      sumsq[this.family[i] as number]! += w * w;
    };
    if (raw instanceof Map) {
      // A message: its features numbered once for every vectorizer.
      const { numbers, counts } = numbered(raw as ReadonlyMap<string, number>);
      for (let j = 0; j < numbers.length; j++) {
        const i = (numbers[j] as number) < this.local.length ? (this.local[numbers[j] as number] as number) : -1;
        if (i >= 0) add(counts[j] as number, i);
      }
    } else {
      raw.forEach((tf, key) => {
        const i = this.index.get(key);
        if (i !== undefined) add(tf, i);
      });
    }
    for (let f = 0; f < sumsq.length; f++) sumsq[f] = (sumsq[f] as number) > 0 ? (this.weights[f] as number) / Math.sqrt(sumsq[f] as number) : 0;
    let total = 0;
    for (let j = 0; j < m; j++) {
      val[j] = (val[j] as number) * (sumsq[this.family[idx[j] as number] as number] as number);
      total += (val[j] as number) ** 2;
    }
    const norm = total > 0 ? 1 / Math.sqrt(total) : 0;
    const out = new Float32Array(m);
    for (let j = 0; j < m; j++) out[j] = (val[j] as number) * norm;
    return { idx: idx.slice(0, m), val: out };
  }
}
