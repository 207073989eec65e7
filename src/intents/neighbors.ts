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
  private readonly docCount: number;
  private readonly limit: number;

  constructor(docs: readonly SparseVector[]) {
    this.docCount = docs.length;
    this.limit = commonFeatureLimit(docs.length);
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

  /** Cosine similarity of the query with every indexed phrasing (vectors are unit length). */
  similarities(q: SparseVector): Float32Array {
    const sims = new Float32Array(this.docCount);
    for (let j = 0; j < q.idx.length; j++) {
      const list = this.postings.get(q.idx[j] as number);
      if (!list || list.docs.length > this.limit) continue;
      const v = q.val[j] as number;
      for (let i = 0; i < list.docs.length; i++) sims[list.docs[i] as number]! += v * (list.vals[i] as number);
    }
    return sims;
  }
}
