/**
 * The softmax's training set-up for a matcher: how much each FAQ's
 * phrasings weigh, where training starts (each FAQ's centroid), which FAQs
 * each phrasing must learn to push away, and how many passes a KB's size
 * needs.
 */
import { topK } from './softmax.js';
import type { SparseVector } from './vectorizer.js';

/**
 * Per-class training weight (mean class size / class size)^½: an FAQ with two
 * phrasings in a KB where others have a hundred must still be learnable.
 */
export function classBalance(counts: Float64Array, examples: number): Float64Array {
  const mean = examples / Math.max(1, counts.filter((c) => c > 0).length);
  return counts.map((c) => (c > 0 ? Math.sqrt(mean / c) : 1));
}

/** Training phrasings per class. */
export function classCounts(ys: Int32Array, K: number): Float64Array {
  const counts = new Float64Array(K);
  for (const y of ys) counts[y]! += 1;
  return counts;
}

/** Feature-major matrix of each FAQ's mean phrasing vector, scaled: the softmax's starting point. */
export function centroidWeights(vectors: readonly SparseVector[], docLabel: Int32Array, counts: Float64Array, F: number, scale: number): Float32Array {
  const K = counts.length;
  const W = new Float32Array(F * K);
  if (scale === 0) return W;
  vectors.forEach((v, d) => {
    const k = docLabel[d] as number;
    const w = scale / (counts[k] as number);
    for (let j = 0; j < v.idx.length; j++) W[(v.idx[j] as number) * K + k]! += w * (v.val[j] as number);
  });
  return W;
}

/**
 * For each phrasing, its own class plus the classes whose centroids are most
 * similar to it: the ones the softmax must learn to push away.
 */
export function confusableClasses(vectors: readonly SparseVector[], docLabel: Int32Array, centroids: Float32Array, K: number, m: number): Int32Array[] {
  const scores = new Float64Array(K);
  return vectors.map((v, d) => {
    scores.fill(0);
    for (let j = 0; j < v.idx.length; j++) {
      const base = (v.idx[j] as number) * K;
      const val = v.val[j] as number;
      for (let k = 0; k < K; k++) scores[k]! += val * (centroids[base + k] as number);
    }
    const own = docLabel[d] as number;
    scores[own] = Infinity;
    return topK(scores, m);
  });
}

/** Small KBs get more passes (they are cheap, and a few phrasings per FAQ need them to sharpen); large ones keep the default. */
export function epochsFor(phrasings: number, base: number): number {
  return Math.max(base, Math.min(30, Math.round(30_000 / Math.max(1, phrasings))));
}
