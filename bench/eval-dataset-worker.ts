/**
 * Runs one public dataset through `tact eval`'s own path, in its own process
 * (so peak memory is that dataset's alone), and prints one JSON line. Run by
 * bench/eval-datasets.ts.
 *
 * The KB is the training file itself, as `tact eval --kb train.jsonl` reads
 * it (each label an FAQ, `oos` rows negatives); thresholds are calibrated on
 * the validation file when there is one (`--valid`), else the KB's defaults;
 * policy on. BANKING77 has no validation split: a seeded 10% of each
 * intent's training examples is held out as one (never the test set).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCases, scoreCases } from '../src/cli/eval.js';
import { openIndex } from '../src/cli/usage.js';
import { report, type EvalReport } from '../src/eval/evaluate.js';
import { readExamples } from '../src/kb/source.js';
import type { KbSettings } from '../src/kb/types.js';
import { buckets, judged, type Bucket } from './confidence-buckets.js';
import { sharedDatasets } from './datasets.js';
import { holdOut } from './holdout.js';
import type { Example } from './peers/peer.js';

export const EVAL_SETS = ['clinc150', 'banking77', 'banking77_all', 'xsid_zh'] as const;
export type EvalSet = (typeof EVAL_SETS)[number];

/** Share and seed of the validation split held out of BANKING77's training set. */
export const BANKING_VALID = { share: 0.1, seed: 77 } as const;

export interface DatasetEval {
  readonly set: EvalSet;
  readonly kbExamples: number;
  readonly validCases: number;
  readonly settings: KbSettings;
  readonly report: EvalReport;
  readonly reliability: readonly Bucket[];
  readonly buildMs: number;
  readonly peakRssMb: number;
}

interface Files {
  readonly kb: string;
  readonly cases: string;
  readonly valid?: string;
}

/** The dataset folder under the shared datasets that each set reads. */
export function folderOf(set: EvalSet): string {
  return set.startsWith('banking77') ? 'banking77' : set;
}

function readJsonl(path: string): Example[] {
  return readExamples(readFileSync(path, 'utf8'), path).map((e) => ({ text: e.text, label: e.label }));
}

function writeJsonl(path: string, rows: readonly Example[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify({ text: r.text, label: r.label })).join('\n'));
  return path;
}

/** The files `tact eval` would be given; BANKING77's split is written to `scratch`. */
function filesOf(set: EvalSet, scratch: string): Files {
  const dir = join(sharedDatasets(), folderOf(set));
  switch (set) {
    case 'clinc150':
      return { kb: join(dir, 'train.jsonl'), cases: join(dir, 'test.jsonl'), valid: join(dir, 'valid.jsonl') };
    case 'banking77': {
      const { train, valid } = holdOut(readJsonl(join(dir, 'train.jsonl')), BANKING_VALID.share, BANKING_VALID.seed);
      return { kb: writeJsonl(join(scratch, 'banking77-train90.jsonl'), train), cases: join(dir, 'test.jsonl'), valid: writeJsonl(join(scratch, 'banking77-valid10.jsonl'), valid) };
    }
    case 'banking77_all':
      return { kb: join(dir, 'train.jsonl'), cases: join(dir, 'test.jsonl') };
    case 'xsid_zh':
      // xSID has no training split: its validation file is the KB, as in the matching table.
      return { kb: join(dir, 'valid.jsonl'), cases: join(dir, 'test.jsonl') };
  }
}

export function evalDataset(set: EvalSet): DatasetEval {
  const scratch = mkdtempSync(join(tmpdir(), 'tact-bench-'));
  try {
    const files = filesOf(set, scratch);
    const cases = readCases(files.cases);
    const valid = files.valid ? readCases(files.valid) : undefined;
    const t0 = process.hrtime.bigint();
    const index = openIndex(files.kb);
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const { settings, outcomes } = scoreCases(index, cases, valid, 'on');
    return {
      set,
      kbExamples: readJsonl(files.kb).length,
      validCases: valid?.length ?? 0,
      settings,
      report: report(outcomes),
      reliability: buckets(judged(outcomes)),
      buildMs: Math.round(buildMs),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('eval-dataset-worker.js')) {
  try {
    process.stdout.write(`${JSON.stringify(evalDataset(process.argv[2] as EvalSet))}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  }
}
