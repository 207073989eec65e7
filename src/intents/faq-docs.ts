/**
 * Each FAQ as one document — its question, alternates and (at half weight)
 * answer together — scored against a message by BM25 over words and
 * concepts. It sees what no single phrasing holds: a KB imported with one
 * alternate per FAQ keeps most of an FAQ's words in its answer and spread
 * over phrasings, and a customer's long story shares a few of them with
 * each.
 *
 * The score is relative: the FAQ's BM25 score over the most any document
 * could score for this message (every word and concept present many times):
 * about 0.45 when each is in the FAQ once, 0 when none are. A word no FAQ uses weighs the most, so a message
 * about something the KB never mentions covers little of any FAQ: that is
 * what tells it out of scope, whatever the other signals say.
 *
 * Term weights are computed at build time, so a query is a few posting-list
 * walks.
 */

import type { FeatureBag } from './feature-bag.js';

/** BM25's term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Answers hold the FAQ's words too, but they are about the reply, not the question. */
const ANSWER_WEIGHT = 0.5;
/** Word and concept features: character n-grams and bigrams only add noise at FAQ level. */
const USED = /^[wk]:/;
const LATIN_WORD = /^w:[a-z0-9'.-]+$/;

/** The built documents, as flat arrays: feature f's postings are `[start[f], start[f + 1])`. */
export interface FaqDocsState {
  readonly features: readonly string[];
  readonly idf: Float32Array;
  readonly start: Int32Array;
  readonly label: Int32Array;
  readonly weight: Float32Array;
  /** Weight of a feature no FAQ has. */
  readonly unseenIdf: number;
}

export class FaqDocs {
  private readonly index = new Map<string, number>();

  private constructor(private readonly s: FaqDocsState) {
    s.features.forEach((f, i) => this.index.set(f, i));
  }

  /** `raw[d]` are phrasing d's raw features; `labelOf[d]` its label index, or -1 to leave it out (negative examples); `isAnswer[d]` whether it is an answer. */
  static build(raw: readonly FeatureBag[], labelOf: Int32Array, isAnswer: readonly boolean[], labels: number): FaqDocs {
    const tf = Array.from({ length: labels }, () => new Map<string, number>());
    raw.forEach((features, d) => {
      const l = labelOf[d] as number;
      if (l < 0) return;
      const w = isAnswer[d] ? ANSWER_WEIGHT : 1;
      features.forEach((v, f) => {
        if (USED.test(f)) tf[l]!.set(f, (tf[l]!.get(f) ?? 0) + v * w);
      });
    });
    const lengths = tf.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
    const docs = lengths.filter((n) => n > 0).length;
    const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs);
    const postings = new Map<string, { label: number; tf: number }[]>();
    tf.forEach((m, label) => {
      for (const [f, v] of m) (postings.get(f) ?? postings.set(f, []).get(f)!).push({ label, tf: v });
    });
    const features = [...postings.keys()].sort();
    const idfOf = (n: number): number => Math.log(1 + (docs - n + 0.5) / (n + 0.5));
    const start = new Int32Array(features.length + 1);
    features.forEach((f, i) => (start[i + 1] = (start[i] as number) + postings.get(f)!.length));
    const label = new Int32Array(start[features.length] as number);
    const weight = new Float32Array(label.length);
    const idf = new Float32Array(features.length);
    features.forEach((f, i) => {
      const list = postings.get(f)!;
      idf[i] = idfOf(list.length);
      list.forEach((p, j) => {
        const norm = 1 - B + (B * (lengths[p.label] as number)) / (avg || 1);
        label[(start[i] as number) + j] = p.label;
        weight[(start[i] as number) + j] = ((idf[i] as number) * p.tf * (K1 + 1)) / (p.tf + K1 * norm);
      });
    });
    return new FaqDocs({ features, idf, start, label, weight, unseenIdf: idfOf(0) });
  }

  static restore(s: FaqDocsState): FaqDocs {
    return new FaqDocs(s);
  }

  state(): FaqDocsState {
    return this.s;
  }

  /**
   * Per label, its FAQ's BM25 score for the message over the most any FAQ
   * could score, in [0, 1]. `latinNames`: the message is Chinese, so a Latin
   * word no FAQ knows is a name (AirPods, a model, an order number), not a
   * sign the message is about something else.
   */
  relevance(message: ReadonlyMap<string, number>, labels: number, latinNames = false): Float64Array {
    const out = new Float64Array(labels);
    let self = 0;
    for (const [f, v] of message) {
      if (!USED.test(f)) continue;
      const q = Math.min(v, 1);
      const i = this.index.get(f);
      if (i === undefined) {
        if (!(latinNames && LATIN_WORD.test(f))) self += this.s.unseenIdf * (K1 + 1) * q;
        continue;
      }
      self += (this.s.idf[i] as number) * (K1 + 1) * q;
      for (let j = this.s.start[i] as number; j < (this.s.start[i + 1] as number); j++) out[this.s.label[j] as number]! += q * (this.s.weight[j] as number);
    }
    if (self > 0) for (let l = 0; l < labels; l++) out[l] = Math.min(1, (out[l] as number) / self);
    return out;
  }
}
