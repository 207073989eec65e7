/**
 * The benchmark's datasets. Public sets are read from ../shared/datasets
 * (never copied into the repo); the Chinese side uses the demo KB's own
 * regression cases and the held-out shop written by people who never saw the
 * lexicon (bench/heldout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/kb/defaults.js';
import { loadKbSource, OOS_LABEL } from '../src/kb/source.js';
import type { KnowledgeBase } from '../src/kb/types.js';
import { detectLang } from '../src/intents/analyze.js';
import type { Example } from './peers/peer.js';
import { kbExamples } from './peers/tact.js';

export interface Dataset {
  readonly name: string;
  readonly lang: 'en' | 'zh';
  readonly train: readonly Example[];
  /** Threshold calibration split; absent when the data has none. */
  readonly valid?: readonly Example[];
  readonly test: readonly Example[];
  /** For KB datasets, the KB Tact builds from (with synonyms and negatives). */
  readonly kb?: KnowledgeBase;
  readonly note: string;
}

export const DATASET_NAMES = ['clinc150', 'banking77', 'xsid_zh', 'demo_kb_zh', 'demo_kb_en', 'heldout_zh', 'heldout_en'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export function sharedDatasets(): string {
  return process.env['TACT_DATASETS'] ?? join(packageRoot(), '..', 'shared', 'datasets');
}

function jsonl(path: string): Example[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { text: string; label?: string; expect?: string };
      const label = r.label ?? r.expect ?? '';
      return { text: r.text, label: label === 'none' ? OOS_LABEL : label };
    });
}

export function available(name: DatasetName): boolean {
  switch (name) {
    case 'clinc150':
    case 'banking77':
    case 'xsid_zh':
      return existsSync(join(sharedDatasets(), name));
    case 'demo_kb_zh':
    case 'demo_kb_en':
      return existsSync(join(packageRoot(), 'knowledge-base', 'cases.jsonl'));
    case 'heldout_zh':
    case 'heldout_en':
      return existsSync(join(packageRoot(), 'bench', 'heldout', 'messages.jsonl'));
  }
}

export function loadDataset(name: DatasetName): Dataset {
  const shared = (f: string): Example[] => jsonl(join(sharedDatasets(), name, f));
  switch (name) {
    case 'clinc150':
      return { name, lang: 'en', train: shared('train.jsonl'), valid: shared('valid.jsonl'), test: shared('test.jsonl'), note: 'train → calibrate on valid → test (4,500 in-scope + 1,000 oos)' };
    case 'banking77':
      return { name, lang: 'en', train: shared('train.jsonl'), test: shared('test.jsonl'), note: 'no validation split and no oos: accuracy at threshold 0' };
    case 'xsid_zh':
      return { name, lang: 'zh', train: shared('valid.jsonl'), test: shared('test.jsonl'), note: 'external Chinese intents: train on valid (300), test (500)' };
    case 'demo_kb_zh':
    case 'demo_kb_en':
      return kbDataset(name, join(packageRoot(), 'knowledge-base'), join(packageRoot(), 'knowledge-base', 'cases.jsonl'), 'demo KB, regression cases written apart from its alternates');
    case 'heldout_zh':
    case 'heldout_en':
      return kbDataset(name, join(packageRoot(), 'bench', 'heldout', 'faqs.csv'), join(packageRoot(), 'bench', 'heldout', 'messages.jsonl'), 'unseen shop CSV (no synonyms), messages by a writer who never saw the lexicon');
  }
}

/** A KB and its cases; handoff cases are left out (the matcher is measured, not the policy). */
function kbDataset(name: DatasetName, kbPath: string, casesPath: string, note: string): Dataset {
  const kb = loadKbSource(kbPath);
  const lang = name.endsWith('_zh') ? 'zh' : 'en';
  const test = jsonl(casesPath).filter((c) => c.label !== 'handoff' && detectLang(c.text) === lang);
  return { name, lang, train: kbExamples(kb), test, kb, note };
}
