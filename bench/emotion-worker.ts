/**
 * Measures one emotion system on one dataset×task in its own process (so no
 * system's warm caches or garbage help another) and prints one JSON line.
 * Run by bench/emotion.ts:
 *
 *   node dist/bench/emotion-worker.js goemotions/needs_human Tact
 */
import { join } from 'node:path';
import { packageRoot } from '../src/kb/defaults.js';
import { loadKnowledgeBase } from '../src/kb/load.js';
import { findJob, loadCases, subsample, type BinaryCase, type EmotionJobSpec } from './emotion-tasks.js';
import type { EmotionPeer } from './peers/emotion-peer.js';
import { naturalBayesBinaryPeer } from './peers/natural-bayes-binary.js';
import { naturalSentimentPeer } from './peers/natural-sentiment.js';
import { tactEmotionPeer } from './peers/tact-emotion.js';

export const EMOTION_SYSTEMS = ['Tact', 'natural Sentiment', 'natural Bayes'] as const;
export type EmotionSystem = (typeof EMOTION_SYSTEMS)[number];

/** Training splits above this are subsampled (seeded) so natural's dense Bayes trains in about a minute. */
export const MAX_TRAIN = 20_000;
const WARMUP = 200;
const MAX_PASSES = 3;
const PASS_BUDGET_MS = 10_000;

export interface EmotionMeasurement {
  readonly job: string;
  readonly dataset: string;
  readonly task: string;
  readonly system: EmotionSystem;
  readonly n: number;
  readonly positives: number;
  readonly predicted: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Training cases used, 0 for systems that do not train. */
  readonly trainN: number;
  /** Building the system: KB load and scorer (Tact), vocabulary (natural Sentiment), training (Bayes). */
  readonly setupMs: number;
  readonly messagesPerSecond: number;
}

/** Whether a system applies: natural's analyzer is English-only; the reference needs a train split. */
export function applies(job: EmotionJobSpec, system: EmotionSystem): boolean {
  switch (system) {
    case 'Tact':
      return true;
    case 'natural Sentiment':
      return job.lang === 'en';
    case 'natural Bayes':
      return job.train !== undefined;
  }
}

function makePeer(job: EmotionJobSpec, system: EmotionSystem): EmotionPeer {
  switch (system) {
    case 'Tact':
      return tactEmotionPeer(loadKnowledgeBase(join(packageRoot(), 'knowledge-base')), job.task);
    case 'natural Sentiment':
      return naturalSentimentPeer();
    case 'natural Bayes':
      return naturalBayesBinaryPeer();
  }
}

/** Per-message time summed over the test set, as bench/worker.ts does for matching. */
function predictAll(peer: EmotionPeer, cases: readonly BinaryCase[]): { said: boolean[]; ms: number } {
  const said: boolean[] = [];
  let ms = 0;
  for (const c of cases) {
    const t = process.hrtime.bigint();
    said.push(peer.isPositive(c.text));
    ms += Number(process.hrtime.bigint() - t) / 1e6;
  }
  return { said, ms };
}

/**
 * The fastest of up to MAX_PASSES timed passes, stopping once PASS_BUDGET_MS is spent:
 * the machine is shared, and one pass of a fast system is short enough for a stray
 * process to halve its rate. Predictions are the same every pass; the first pass's are kept.
 */
function fastestPass(peer: EmotionPeer, cases: readonly BinaryCase[]): { said: boolean[]; ms: number } {
  const first = predictAll(peer, cases);
  let best = first.ms;
  let spent = first.ms;
  for (let pass = 1; pass < MAX_PASSES && spent < PASS_BUDGET_MS; pass++) {
    const { ms } = predictAll(peer, cases);
    best = Math.min(best, ms);
    spent += ms;
  }
  return { said: first.said, ms: best };
}

function counts(cases: readonly BinaryCase[], said: readonly boolean[]): Pick<EmotionMeasurement, 'n' | 'positives' | 'predicted' | 'precision' | 'recall' | 'f1'> {
  let tp = 0;
  let predicted = 0;
  let positives = 0;
  cases.forEach((c, i) => {
    if (c.positive) positives++;
    if (said[i]) predicted++;
    if (c.positive && said[i]) tp++;
  });
  const precision = predicted ? tp / predicted : 0;
  const recall = positives ? tp / positives : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { n: cases.length, positives, predicted, precision: round4(precision), recall: round4(recall), f1: round4(f1) };
}

const round4 = (v: number): number => Math.round(v * 10000) / 10000;

export async function measureEmotion(jobId: string, system: EmotionSystem): Promise<EmotionMeasurement> {
  const job = findJob(jobId);
  const train = system === 'natural Bayes' ? subsample(loadCases(job, 'train'), MAX_TRAIN) : [];
  // Setup counts: loading the KB and building the scorer (Tact), stemming AFINN (natural), training (Bayes).
  const t0 = process.hrtime.bigint();
  const peer = makePeer(job, system);
  await peer.train(train);
  const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const test = loadCases(job, 'test');
  // Warm the JIT on a slice of the test texts (not timed), so every system is timed in steady state.
  predictAll(peer, test.slice(0, WARMUP));
  const { said, ms } = fastestPass(peer, test);
  return {
    job: job.id,
    dataset: job.dataset,
    task: job.task,
    system,
    ...counts(test, said),
    trainN: train.length,
    setupMs: Math.round(setupMs),
    messagesPerSecond: Math.round((test.length / ms) * 1000),
  };
}

if (process.argv[1]?.endsWith('emotion-worker.js')) {
  const [jobId, system] = process.argv.slice(2) as [string, EmotionSystem];
  measureEmotion(jobId, system).then(
    (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
