/**
 * The FAQ matcher: a pure data layer under a thin API. It learns from a KB's
 * phrasings (questions, alternates, answers, negative examples) and ranks
 * FAQs for a message by blending two signals:
 *  - a softmax regression over word, bigram, character n-gram and concept
 *    features (strong at telling close FAQs apart), and
 *  - the cosine similarity of the nearest phrasing (robust when an FAQ has
 *    few phrasings, and explainable: "matched 发货, refund").
 *
 * @example
 *   const m = Matcher.build(phrasings, lexicon);
 *   m.match('我的快递什么时候寄出').candidates[0] // { faqId: 'shipping-when', confidence: 0.83, … }
 */
import { analyze, type Analysis } from './analyze.js';
import { extractFeatures, featuresOf } from './features.js';
import type { Lexicon } from './lexicon.js';
import { NeighborIndex } from './neighbors.js';
import { calibratedConfidence, candidateConfidences, type ConfidenceSignals } from './confidence.js';
import { isEnglishWord } from './english-words.js';
import { FaqDocs, type FaqDocsState } from './faq-docs.js';
import { FeatureNames, type PackedFeatures } from './feature-bag.js';
import { Speller } from './spelling.js';
import { DEFAULT_MATCHER_OPTIONS, type Field, type MatcherOptions } from './matcher-options.js';
import { mulberry32, shuffle, Softmax, type SoftmaxState } from './softmax.js';
import { centroidWeights, classBalance, classCounts, confusableClasses, epochsFor } from './training.js';
import { Vectorizer, type SparseVector, type VectorizerState } from './vectorizer.js';

/** Label of negative examples: messages that must not be answered. */
export const NONE_LABEL = '__none__';

export interface Phrasing {
  readonly text: string;
  /** FAQ id, or NONE_LABEL for a negative example. */
  readonly label: string;
  readonly field: Field;
}

/** A warm-started rebuild trains this many epochs over the changed phrasings and a sample of the others. */
const WARM_EPOCHS = 8;
const WARM_SAMPLE = 1500;
/**
 * Up to this many phrasings a rebuild trains from scratch: it takes well under
 * a second, and warm starts chained edit after edit keep training the same
 * rows (measured: rank-1 85.5% → 69.1% after 25 accepted gaps on a 40-FAQ shop).
 */
const COLD_REBUILD_PHRASINGS = 1500;
/** Phrasings (questions and alternates) from which the model's probability gets its full weight. */
const TRUSTED_PHRASINGS = 6;
/** Candidates whose calibrated confidences are computed and shared out, whatever a caller asks for. */
const CALIBRATED_CANDIDATES = 3;

/**
 * Everything a built matcher learned, as plain arrays (typed arrays for the
 * bulk), so a build can be stored and restored without retraining. The
 * phrasing vectors are concatenated: phrasing d's features are
 * `vectorIdx/vectorVal[vectorStart[d] .. vectorStart[d + 1])`.
 */
export interface MatcherSnapshot {
  readonly labels: readonly string[];
  readonly phrasings: readonly Phrasing[];
  readonly vectorizer: VectorizerState;
  readonly vectorStart: Int32Array;
  readonly vectorIdx: Int32Array;
  readonly vectorVal: Float32Array;
  readonly model: SoftmaxState;
  readonly blendFor: Float64Array;
  readonly docs: FaqDocsState;
}

export interface Candidate {
  readonly faqId: string;
  /**
   * In [0, 1]; thresholds in the decision core compare against it. For FAQs,
   * the calibrated probability that this is the FAQ meant (confidence.ts);
   * otherwise the blend of probability and similarity.
   */
  readonly confidence: number;
  /** Probability and similarity blended, before relevance and calibration: what negative examples are weighed against. */
  readonly blended: number;
  readonly probability: number;
  readonly similarity: number;
  /** Share of the message's words and concepts this FAQ covers (0 when relevance is off). */
  readonly relevance: number;
  /** What calibrated confidence was computed from (the top candidate's; null for the others and when not calibrated). */
  readonly signals: ConfidenceSignals | null;
  /** The phrasing of this FAQ closest to the message. */
  readonly nearest: string;
}

export interface MatchResult {
  readonly analysis: Analysis;
  /** FAQs ranked best first (negative examples excluded). */
  readonly candidates: readonly Candidate[];
  /** How strongly the message looks like a negative example, in [0, 1]. */
  readonly noneScore: number;
  /** Words and concepts the message shares with the best FAQ's nearest phrasing. */
  readonly why: readonly string[];
  /**
   * Of `why`, what is evidence for the best FAQ: content words and concepts,
   * not asking words (怎么, 多少, ~when). Empty when the message shares nothing
   * with the FAQ but how it asks: then the FAQ is never answered outright.
   */
  readonly evidence: readonly string[];
}

export class Matcher {
  private constructor(
    private readonly lexicon: Lexicon,
    private readonly opts: MatcherOptions,
    private readonly labels: readonly string[],
    private readonly phrasings: readonly Phrasing[],
    private readonly vectors: readonly SparseVector[],
    private readonly docLabel: Int32Array,
    private readonly vectorizer: Vectorizer,
    private readonly model: Softmax,
    private readonly neighbors: NeighborIndex,
    /** Each phrasing's raw features (by text), packed into `names`, for the next rebuild. */
    private readonly featureCache: ReadonlyMap<string, PackedFeatures>,
    private readonly names: FeatureNames,
    /**
     * Per FAQ, how much confidence leans on the model rather than on the
     * nearest phrasing: a classifier knows little of an FAQ with one or two
     * phrasings (a fresh one, say), so similarity decides for it.
     */
    private readonly blendFor: Float64Array,
    private readonly docs: FaqDocs,
  ) {}

  /** Learns a matcher from phrasings. Pure and deterministic (seeded). */
  static build(phrasings: readonly Phrasing[], lexicon: Lexicon, opts: MatcherOptions = DEFAULT_MATCHER_OPTIONS): Matcher {
    return Matcher.train(phrasings, lexicon, opts, undefined);
  }

  /**
   * Rebuilds after a KB edit, starting from this matcher: unchanged phrasings
   * keep their analysis. A small KB then trains from scratch; a large one
   * starts from the old weights (new FAQs from their centroid) and revisits
   * only the changed phrasings and a sample of the rest. This is what makes
   * an edit live within a second on a KB of 10k phrasings.
   */
  rebuild(phrasings: readonly Phrasing[], lexicon: Lexicon = this.lexicon, opts: MatcherOptions = this.opts): Matcher {
    return Matcher.train(phrasings, lexicon, opts, lexicon === this.lexicon && opts === this.opts ? this : undefined);
  }

  /**
   * Which training rows a warm rebuild revisits: every phrasing that is new or
   * belongs to a new FAQ, plus a fixed-size sample of the rest so that the new
   * weights stay in balance with the old ones.
   */
  private focusRows(usable: readonly Phrasing[], seed: number): number[] {
    const known = new Set(this.labels);
    const changed: number[] = [];
    const others: number[] = [];
    usable.forEach((p, r) => {
      (this.featureCache.has(p.text) && known.has(p.label) ? others : changed).push(r);
    });
    const sample = Int32Array.from(others);
    shuffle(sample, mulberry32(seed));
    return [...changed, ...sample.subarray(0, WARM_SAMPLE)];
  }

  /** Old weights for the features and labels that still exist, for a warm start. */
  private transferWeights(vectorizer: Vectorizer, labels: readonly string[], W: Float32Array, b: Float32Array): void {
    const K = labels.length;
    const oldK = this.labels.length;
    const old = this.model.state();
    const oldIndex = new Map(this.labels.map((l, i) => [l, i]));
    const column = labels.map((l) => oldIndex.get(l) ?? -1);
    column.forEach((c, k) => {
      if (c >= 0) b[k] = old.bias[c] as number;
    });
    for (let f = 0; f < vectorizer.size; f++) {
      const o = this.vectorizer.indexOf(vectorizer.featureName(f));
      if (o === undefined) continue;
      for (let k = 0; k < K; k++) {
        const c = column[k] as number;
        if (c >= 0) W[f * K + k] = old.weights[o * oldK + c] as number;
      }
    }
  }

  private static train(phrasings: readonly Phrasing[], lexicon: Lexicon, opts: MatcherOptions, previous: Matcher | undefined): Matcher {
    const usable = phrasings.filter((p) => p.text.trim() !== '');
    // A small KB trains from scratch (reusing the analyses): chained warm starts keep training the same rows and drift.
    const warm = previous !== undefined && usable.length > COLD_REBUILD_PHRASINGS ? previous : undefined;
    const cache = new Map<string, PackedFeatures>();
    const names = previous?.names ?? new FeatureNames();
    const raw = usable.map((p) => {
      const hit = cache.get(p.text) ?? previous?.featureCache.get(p.text) ?? names.pack(extractFeatures(analyze(p.text, lexicon), opts.features));
      cache.set(p.text, hit);
      return hit;
    });
    const vectorizer = Vectorizer.fit(raw, opts.features);
    const vectors = raw.map((r) => vectorizer.transform(r));
    const labels = [...new Set(usable.map((p) => p.label))];
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const docLabel = Int32Array.from(usable, (p) => labelIndex.get(p.label) as number);
    const xs = vectors;
    const ys = docLabel;
    const counts = classCounts(ys, labels.length);
    const init = centroidWeights(xs, ys, counts, vectorizer.size, opts.centroidInit);
    const bias = new Float32Array(labels.length);
    warm?.transferWeights(vectorizer, labels, init, bias);
    const balance = classBalance(counts, ys.length);
    const focus = warm ? warm.focusRows(usable, opts.softmax.seed) : usable.map((_, r) => r);
    const fx = focus.map((r) => xs[r] as SparseVector);
    const fy = focus.map((r) => ys[r] as number);
    const candidates = labels.length > opts.trainingCandidates ? confusableClasses(fx, Int32Array.from(fy), init, labels.length, opts.trainingCandidates) : undefined;
    const model = Softmax.train(
      {
        xs: fx,
        ys: fy,
        weights: focus.map((r) => opts.fieldWeights[(usable[r] as Phrasing).field] * (balance[ys[r] as number] as number)),
        candidates,
        init,
        initBias: bias,
        warm: warm !== undefined,
        classes: labels.length,
        features: vectorizer.size,
      },
      { ...opts.softmax, epochs: warm ? WARM_EPOCHS : epochsFor(fx.length, opts.softmax.epochs) },
    );
    const blendFor = counts.map((n) => opts.blend * Math.min(1, n / TRUSTED_PHRASINGS));
    const noneIndex = labelIndex.get(NONE_LABEL) ?? -1;
    const docs = FaqDocs.build(raw, docLabel.map((l) => (l === noneIndex ? -1 : l)), usable.map((p) => p.field === 'answer'), labels.length);
    return new Matcher(lexicon, opts, labels, usable, vectors, docLabel, vectorizer, model, new NeighborIndex(vectors, opts.commonFeatureShare), cache, names, blendFor, docs);
  }

  /** What this matcher learned, for storing a build (restore() turns it back into a matcher). */
  snapshot(): MatcherSnapshot {
    const vectorStart = new Int32Array(this.vectors.length + 1);
    this.vectors.forEach((v, d) => (vectorStart[d + 1] = (vectorStart[d] as number) + v.idx.length));
    const total = vectorStart[this.vectors.length] as number;
    const vectorIdx = new Int32Array(total);
    const vectorVal = new Float32Array(total);
    this.vectors.forEach((v, d) => {
      vectorIdx.set(v.idx, vectorStart[d]);
      vectorVal.set(v.val, vectorStart[d]);
    });
    return { labels: this.labels, phrasings: this.phrasings, vectorizer: this.vectorizer.state(), vectorStart, vectorIdx, vectorVal, model: this.model.state(), blendFor: this.blendFor, docs: this.docs.state() };
  }

  /**
   * A matcher from a snapshot taken with the same lexicon and options. It
   * answers exactly as the one snapshotted; a later rebuild() re-reads every
   * phrasing (a snapshot keeps vectors, not the analyses behind them).
   */
  static restore(s: MatcherSnapshot, lexicon: Lexicon, opts: MatcherOptions): Matcher {
    const vectors = s.phrasings.map((_, d) => ({
      idx: s.vectorIdx.subarray(s.vectorStart[d], s.vectorStart[d + 1]),
      val: s.vectorVal.subarray(s.vectorStart[d], s.vectorStart[d + 1]),
    }));
    const labelIndex = new Map(s.labels.map((l, i) => [l, i]));
    const docLabel = Int32Array.from(s.phrasings, (p) => labelIndex.get(p.label) ?? 0);
    const vectorizer = Vectorizer.restore(s.vectorizer, opts.features);
    return new Matcher(lexicon, opts, s.labels, s.phrasings, vectors, docLabel, vectorizer, Softmax.restore(s.model), new NeighborIndex(vectors, opts.commonFeatureShare), new Map(), new FeatureNames(), s.blendFor, FaqDocs.restore(s.docs));
  }

  private spellerCache: Speller | undefined;
  /** English typos are read as the words this matcher's phrasings and lexicon use (built on first use). */
  private get speller(): Speller {
    if (this.spellerCache) return this.spellerCache;
    // How much the KB uses a word: 1 / idf for its own words, 0 for words only the lexicon knows.
    const words = new Map<string, number>([...this.lexicon.englishWords].map((w) => [w, 0]));
    for (let f = 0; f < this.vectorizer.size; f++) {
      const name = this.vectorizer.featureName(f);
      if (name.startsWith('w:')) words.set(name.slice(2), 1 / this.vectorizer.idfOf(f));
    }
    this.spellerCache = new Speller(words, isEnglishWord);
    return this.spellerCache;
  }

  get phrasingCount(): number {
    return this.phrasings.length;
  }

  /** Ranks FAQs for a message. Never throws: any string gets a result. */
  match(text: string, k = 3): MatchResult {
    return this.matchAnalysis(analyze(text, this.lexicon), k);
  }

  /** Ranks FAQs for a message analyzed already (with the same lexicon), so several models can share one analysis. */
  matchAnalysis(given: Analysis, k = 3): MatchResult {
    const analysis = this.opts.correctSpelling ? this.speller.correct(given, this.lexicon) : given;
    const raw = featuresOf(analysis, this.opts.features);
    const x = this.vectorizer.transform(raw);
    if (x.idx.length === 0 || this.labels.length === 0) return { analysis, candidates: [], noneScore: 1, why: [], evidence: [] };
    const scored = this.scoreLabels(x, raw, analysis.lang === 'zh');
    const noneScore = clamp01(scored.find((s) => s.label === NONE_LABEL)?.blended ?? 0);
    const ranked = scored.filter((s) => s.label !== NONE_LABEL).sort((a, b) => b.score - a.score);
    // Confidences are computed, and shared out (exclusive), over the same few candidates whatever `k` asks for.
    const top = ranked.slice(0, Math.max(k, CALIBRATED_CANDIDATES));
    const [first, second] = top;
    const why = first && first.doc >= 0 ? this.sharedTerms(x, this.vectors[first.doc] as SparseVector) : [];
    const evidence = why.filter((t) => !this.lexicon.isAsking(t.startsWith('~') ? { concept: t.slice(1) } : { term: t }));
    const signals: ConfidenceSignals | null =
      this.opts.calibrated && first
        ? {
            score: first.score,
            lead: first.score - (second?.score ?? 0),
            relevance: first.relevance,
            relevanceLead: first.relevance - (second?.relevance ?? 0),
            blended: first.blended,
            probability: first.probability,
            similarity: first.similarity,
            noneScore,
            evidence: evidence.length,
            coverage: this.coverage(analysis),
            faqs: ranked.length,
          }
        : null;
    const shared = signals ? candidateConfidences(calibratedConfidence(signals), top.map((s) => s.score)) : null;
    const candidates = top.slice(0, k).map((s, i) => this.candidate(s, shared ? (shared[i] as number) : null, i === 0 ? signals : null));
    return { analysis, candidates, noneScore, why, evidence };
  }

  /** Every label's signals for a message: probability, nearest phrasing, FAQ relevance, and the ranking score they make. */
  private scoreLabels(x: SparseVector, raw: ReadonlyMap<string, number>, chinese: boolean): Scored[] {
    const prob = this.model.predict(x);
    const { best, bestDoc } = this.nearestPerLabel(x);
    const relevance = this.opts.relevanceWeight > 0 ? this.docs.relevance(raw, this.labels.length, chinese) : new Float64Array(this.labels.length);
    return this.labels.map((label, i) => {
      const blend = this.blendFor[i] as number;
      const blended = blend * (prob[i] as number) + (1 - blend) * (best[i] as number);
      const rel = relevance[i] as number;
      return { label, probability: prob[i] as number, similarity: best[i] as number, blended, relevance: rel, score: blended + this.opts.relevanceWeight * rel, doc: bestDoc[i] as number };
    });
  }

  /** A ranked label as a candidate; `calibrated` is its confidence when calibrated (null: the plain blend). */
  private candidate(s: Scored, calibrated: number | null, signals: ConfidenceSignals | null): Candidate {
    const nearest = s.doc >= 0 ? (this.phrasings[s.doc] as Phrasing).text : '';
    return { faqId: s.label, confidence: calibrated ?? clamp01(s.blended), blended: clamp01(s.blended), probability: s.probability, similarity: s.similarity, relevance: s.relevance, signals, nearest };
  }

  /** Share of the message's content words (not function words) that some phrasing uses; a Chinese message's unknown Latin words are names, not content. */
  private coverage(analysis: Analysis): number {
    let content = 0;
    let known = 0;
    analysis.tokens.forEach((t, i) => {
      if (analysis.stop[i]) return;
      const isKnown = this.vectorizer.indexOf(`w:${t.term}`) !== undefined;
      if (!isKnown && t.script === 'latin' && analysis.lang === 'zh') return;
      content++;
      if (isKnown) known++;
    });
    return content === 0 ? 0 : known / content;
  }

  /** Best cosine similarity per label, and which phrasing gave it. */
  private nearestPerLabel(x: SparseVector): { best: Float64Array; bestDoc: Int32Array } {
    const best = new Float64Array(this.labels.length);
    const bestDoc = new Int32Array(this.labels.length).fill(-1);
    this.neighbors.forEachSimilar(x, (d, s) => {
      const l = this.docLabel[d] as number;
      if (s > (best[l] as number)) {
        best[l] = s;
        bestDoc[l] = d;
      }
    });
    return { best, bestDoc };
  }

  /** Content words and concepts present in both vectors, as readable terms. */
  private sharedTerms(a: SparseVector, b: SparseVector): string[] {
    const inB = new Set(b.idx);
    const terms: string[] = [];
    for (const f of a.idx) {
      if (!inB.has(f)) continue;
      const name = this.vectorizer.featureName(f);
      if (name.startsWith('w:') && !this.lexicon.isStopword(name.slice(2))) terms.push(name.slice(2));
      else if (name.startsWith('k:')) terms.push(`~${name.slice(2)}`);
    }
    return terms;
  }
}

interface Scored {
  readonly label: string;
  readonly probability: number;
  readonly similarity: number;
  readonly blended: number;
  readonly relevance: number;
  readonly score: number;
  /** The nearest phrasing of this label (-1: none shares a feature). */
  readonly doc: number;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
