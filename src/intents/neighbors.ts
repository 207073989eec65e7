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
export function commonFeatureLimit(docCount: number): number {
  return docCount < 2000 ? Infinity : Math.max(200, Math.floor(docCount * 0.03));
}

export class NeighborIndex {
  private readonly postings = new Map<number, { docs: number[]; vals: number[] }>();
  private readonly limit: number;

  constructor(docs: readonly SparseVector[]) {
    this.limit = commonFeatureLimit(docs.length);
    this.scratch = new Float32Array(docs.length);
    this.touched = new Int32Array(docs.length);
    docs.forEach((d, n) => {
      for (let j = 0; j < d.idx.length; j++) {
        const f = d.idx[j] as number;
        let list = this.postings.get(f);
        if (!list) this.postings.set(f, (list = { docs: [], vals: [] }));
        list.docs.push(n);
        list.vals.push(d.val[j] as number);
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
    for (let j = 0; j < q.idx.length; j++) {
      const list = this.postings.get(q.idx[j] as number);
      if (!list || list.docs.length > this.limit) continue;
      const v = q.val[j] as number;
      for (let i = 0; i < list.docs.length; i++) {
        const d = list.docs[i] as number;
        if (this.scratch[d] === 0) this.touched[n++] = d;
        this.scratch[d]! += v * (list.vals[i] as number);
      }
    }
    for (let i = 0; i < n; i++) {
      const d = this.touched[i] as number;
      visit(d, this.scratch[d] as number);
      this.scratch[d] = 0;
    }
  }
}
