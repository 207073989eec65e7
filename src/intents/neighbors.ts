/**
 * Nearest phrasings by cosine similarity over an inverted index: for each
 * feature, the phrasings that have it. A query touches only the posting lists
 * of its own features, so lookups stay cheap on a KB of 10k+ phrasings.
 */
import type { SparseVector } from './vectorizer.js';

export interface Neighbor {
  readonly doc: number;
  readonly similarity: number;
}

/**
 * Features shared by more phrasings than this are skipped at query time on
 * large KBs: they are near-stopwords (" th", "的") whose long posting lists
 * cost most of the lookup and move every similarity alike.
 */
export function commonFeatureLimit(docCount: number, share: number | null = null): number {
  if (share !== null) return Math.max(20, Math.floor(docCount * share));
  return docCount < 2000 ? Infinity : Math.max(200, Math.floor(docCount * 0.03));
}

export class NeighborIndex {
  /** Postings by feature id, flat: feature f's phrasings and values are `[start[f], start[f + 1])`. */
  private readonly start: Int32Array;
  private readonly docs: Int32Array;
  private readonly vals: Float32Array;
  private readonly limit: number;

  /** `commonShare`: skip features in more than this share of phrasings (null: only on large KBs, see commonFeatureLimit). */
  constructor(docs: readonly SparseVector[], commonShare: number | null = null) {
    this.limit = commonFeatureLimit(docs.length, commonShare);
    this.scratch = new Float32Array(docs.length);
    this.touched = new Int32Array(docs.length);
    let features = 0;
    for (const d of docs) for (const f of d.idx) features = Math.max(features, f + 1);
    const count = new Int32Array(features + 1);
    for (const d of docs) for (const f of d.idx) count[f + 1]! += 1;
    for (let f = 0; f < features; f++) count[f + 1]! += count[f] as number;
    this.start = count;
    const fill = count.slice(0, features);
    const total = count[features] as number;
    this.docs = new Int32Array(total);
    this.vals = new Float32Array(total);
    docs.forEach((d, n) => {
      for (let j = 0; j < d.idx.length; j++) {
        const at = fill[d.idx[j] as number]!++;
        this.docs[at] = n;
        this.vals[at] = d.val[j] as number;
      }
    });
  }

  /** Per phrasing, its sum so far during one query; reset after each (never re-entered: queries run to completion). */
  private readonly scratch: Float32Array;
  private readonly touched: Int32Array;

  /**
   * Calls `visit` with each phrasing that shares a feature with the query and
   * its cosine similarity (vectors are unit length). Phrasings sharing
   * nothing (similarity 0) are skipped: a query costs its posting lists, not
   * the size of the KB.
   */
  forEachSimilar(q: SparseVector, visit: (doc: number, similarity: number) => void): void {
    let n = 0;
    const features = this.start.length - 1;
    for (let j = 0; j < q.idx.length; j++) {
      const f = q.idx[j] as number;
      if (f >= features) continue;
      const from = this.start[f] as number;
      const to = this.start[f + 1] as number;
      if (to === from || to - from > this.limit) continue;
      const v = q.val[j] as number;
      for (let i = from; i < to; i++) {
        const d = this.docs[i] as number;
        if (this.scratch[d] === 0) this.touched[n++] = d;
        this.scratch[d]! += v * (this.vals[i] as number);
      }
    }
    for (let i = 0; i < n; i++) {
      const d = this.touched[i] as number;
      visit(d, this.scratch[d] as number);
      this.scratch[d] = 0;
    }
  }
}
