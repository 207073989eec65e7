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

export class Vectorizer {
  private readonly index = new Map<string, number>();
  private readonly idf: Float32Array;
  private readonly family: Int8Array;
  private readonly weights: Float32Array;

  private constructor(features: readonly string[], idf: Float32Array, opts: FeatureOptions) {
    features.forEach((f, i) => this.index.set(f, i));
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
    raw.forEach((tf, key) => {
      const i = this.index.get(key);
      if (i === undefined) return;
      const w = (tf > 1 ? 1 + Math.log(tf) : tf) * (this.idf[i] as number);
      idx[m] = i;
      val[m++] = w;
      sumsq[this.family[i] as number]! += w * w;
    });
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
