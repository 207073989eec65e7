/**
 * Multinomial logistic regression over sparse vectors, trained by SGD with
 * L2 weight decay (the scaled-weights trick keeps decay O(1) per step) and a
 * decaying learning rate. Weights are feature-major (W[f * K + k]) so that a
 * prediction touches only the rows of the message's features.
 */
import type { SparseVector } from './vectorizer.js';

export interface SoftmaxOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  /** Gradient entries smaller than this are skipped: most classes are already near 0 after an epoch. */
  readonly gradientFloor: number;
  readonly seed: number;
  /**
   * After the first full epoch, each phrasing is normalized only over the
   * classes the model currently scores highest for it (re-mined halfway).
   * 0 keeps the full softmax every epoch.
   */
  readonly hardNegatives: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = {
  epochs: 10,
  learningRate: 1.5,
  l2: 1e-6,
  gradientFloor: 1e-2,
  seed: 7,
  hardNegatives: 32,
};

export interface TrainingSet {
  readonly xs: readonly SparseVector[];
  readonly ys: readonly number[];
  readonly weights?: readonly number[];
  /**
   * Per example, the classes to normalize over (the true class included): its
   * confusable neighbours. Training then costs O(features × candidates)
   * instead of O(features × classes), which is what lets a KB with
   * thousands of FAQs rebuild in about a second.
   */
  readonly candidates?: readonly Int32Array[];
  readonly classes: number;
  readonly features: number;
  /** Starting weights (feature-major, taken over and trained in place), e.g. class centroids. */
  readonly init?: Float32Array;
  readonly initBias?: Float32Array;
  /** Starting from a trained model: mine hard negatives before the first epoch. */
  readonly warm?: boolean;
}

export interface SoftmaxState {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export class Softmax {
  private constructor(private readonly s: SoftmaxState) {}

  static restore(state: SoftmaxState): Softmax {
    return new Softmax(state);
  }

  /** `weights` scale each example's gradient (a question counts more than an answer sentence). */
  static train(data: TrainingSet, opts: SoftmaxOptions = DEFAULT_SOFTMAX_OPTIONS): Softmax {
    const { xs, ys, classes, features } = data;
    const K = classes;
    const W = data.init ?? new Float32Array(features * K);
    const b = data.initBias ?? new Float32Array(K);
    const p = new Float64Array(K);
    const order = Int32Array.from(xs, (_, i) => i);
    const all = Int32Array.from({ length: K }, (_, k) => k);
    const grads = new Float64Array(K);
    const classesOut = new Int32Array(K);
    const random = mulberry32(opts.seed);
    let scale = 1;
    let step = 0;
    const total = opts.epochs * xs.length;
    let candidates = data.candidates;
    const mineAt = new Set(data.warm ? [0] : [1, Math.ceil(opts.epochs / 2)]);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      if (!data.candidates && opts.hardNegatives > 0 && opts.hardNegatives * 2 < K && mineAt.has(epoch)) {
        candidates = mine(W, b, xs, ys, K, scale, opts.hardNegatives);
      }
      shuffle(order, random);
      for (const n of order) {
        const x = xs[n] as SparseVector;
        const lr = opts.learningRate / (1 + (4 * step++) / total);
        const cand = candidates?.[n] ?? all;
        if (cand === all) scores(W, b, x, K, scale, p);
        else scoresOver(W, b, x, K, scale, cand, p);
        softmaxInPlace(p, cand.length);
        const truth = cand.indexOf(ys[n] as number);
        p[truth]! -= 1;
        const weight = data.weights?.[n] ?? 1;
        scale *= 1 - lr * opts.l2;
        const active = activeGradients(p, cand, weight, opts.gradientFloor, grads, classesOut);
        for (let a = 0; a < active; a++) b[classesOut[a] as number]! -= lr * (grads[a] as number);
        const stepScale = lr / scale;
        for (let j = 0; j < x.idx.length; j++) {
          const base = (x.idx[j] as number) * K;
          const v = (x.val[j] as number) * stepScale;
          for (let a = 0; a < active; a++) W[base + (classesOut[a] as number)]! -= v * (grads[a] as number);
        }
      }
      if (scale < 1e-3) scale = rescale(W, scale);
    }
    for (let i = 0; i < W.length; i++) W[i]! *= scale;
    return new Softmax({ classes: K, features, weights: W, bias: b });
  }

  state(): SoftmaxState {
    return this.s;
  }

  /** Class probabilities for one vector. */
  predict(x: SparseVector): Float64Array {
    const p = new Float64Array(this.s.classes);
    scores(this.s.weights, this.s.bias, x, this.s.classes, 1, p);
    return softmaxInPlace(p, p.length);
  }

  /** The contribution of each of x's features to class k (for explanations). */
  contributions(x: SparseVector, k: number): Array<{ feature: number; weight: number }> {
    const K = this.s.classes;
    return Array.from(x.idx, (f, j) => ({ feature: f, weight: (x.val[j] as number) * (this.s.weights[f * K + k] as number) }));
  }
}

function scores(W: Float32Array, b: Float32Array, x: SparseVector, K: number, scale: number, out: Float64Array): void {
  for (let k = 0; k < K; k++) out[k] = b[k] as number;
  for (let j = 0; j < x.idx.length; j++) {
    const base = (x.idx[j] as number) * K;
    const v = (x.val[j] as number) * scale;
    for (let k = 0; k < K; k++) out[k]! += v * (W[base + k] as number);
  }
}

/** Each example's true class plus the m classes the current model scores highest for it. */
function mine(W: Float32Array, b: Float32Array, xs: readonly SparseVector[], ys: readonly number[], K: number, scale: number, m: number): Int32Array[] {
  const s = new Float64Array(K);
  return xs.map((x, n) => {
    scores(W, b, x, K, scale, s);
    const truth = ys[n] as number;
    s[truth] = Infinity;
    return topK(s, m + 1);
  });
}

/**
 * Indices of the k largest values, largest first, ties in index order (as a
 * stable sort would give them), by insertion into a k-long list: mining
 * runs it for every phrasing, and k is a fraction of the FAQs.
 */
export function topK(values: Float64Array, k: number): Int32Array {
  const out = new Int32Array(Math.min(k, values.length));
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (size === out.length && !(v > (values[out[size - 1] as number] as number))) continue;
    let j = size < out.length ? size++ : size - 1;
    while (j > 0 && (values[out[j - 1] as number] as number) < v) {
      out[j] = out[j - 1] as number;
      j--;
    }
    out[j] = i;
  }
  return out;
}

/**
 * Collects the gradient entries worth applying (|g| ≥ floor) with their
 * classes, so the weight update can walk each feature's row once.
 */
function activeGradients(p: Float64Array, cand: Int32Array, weight: number, floor: number, grads: Float64Array, classes: Int32Array): number {
  let n = 0;
  for (let c = 0; c < cand.length; c++) {
    const g = (p[c] as number) * weight;
    if (g > -floor && g < floor) continue;
    grads[n] = g;
    classes[n++] = cand[c] as number;
  }
  return n;
}

/** Scores for the listed classes only, written to out[0..cand.length). */
function scoresOver(W: Float32Array, b: Float32Array, x: SparseVector, K: number, scale: number, cand: Int32Array, out: Float64Array): void {
  for (let c = 0; c < cand.length; c++) out[c] = b[cand[c] as number] as number;
  for (let j = 0; j < x.idx.length; j++) {
    const base = (x.idx[j] as number) * K;
    const v = (x.val[j] as number) * scale;
    for (let c = 0; c < cand.length; c++) out[c]! += v * (W[base + (cand[c] as number)] as number);
  }
}

/** Softmax over the first n entries of p, in place. */
function softmaxInPlace(p: Float64Array, n: number): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if ((p[k] as number) > max) max = p[k] as number;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp((p[k] as number) - max);
    p[k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) p[k]! /= sum;
  return p;
}

function rescale(W: Float32Array, scale: number): number {
  for (let i = 0; i < W.length; i++) W[i]! *= scale;
  return 1;
}

export function shuffle(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
}

/** Small seeded PRNG so that training is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most n items, a seeded random choice when there are more: reproducible counter-example sets. */
export function sample<T>(items: readonly T[], n: number, seed = 7): readonly T[] {
  if (items.length <= n) return items;
  const order = Int32Array.from(items.keys());
  shuffle(order, mulberry32(seed));
  return Array.from(order.subarray(0, n), (i) => items[i] as T);
}
