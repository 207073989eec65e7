/**
 * Measures one system on one dataset in its own process (so peak memory is
 * that system's alone) and prints one JSON line. Run by bench/run.ts.
 */
import { loadDataset, type Dataset, type DatasetName } from './datasets.js';
import { minisearchPeer } from './peers/minisearch.js';
import { naturalBayesPeer } from './peers/natural-bayes.js';
import { nlpjsPeer } from './peers/nlpjs.js';
import type { Example, Peer, Prediction } from './peers/peer.js';
import { tactPeer } from './peers/tact.js';
import { OOS_LABEL } from '../src/kb/source.js';
import { oosBoundary, type ScoredCase } from '../src/eval/calibrate.js';

const WARMUP = 200;

export const SYSTEMS = ['Tact', 'MiniSearch', 'natural Bayes', 'NLP.js'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface Measurement {
  readonly dataset: string;
  readonly system: SystemName;
  readonly trainMs: number;
  readonly threshold: number;
  readonly inScope: { n: number; accuracy: number; macro: number };
  readonly oos: { n: number; recall: number } | null;
  readonly qps: number;
  readonly p99Ms: number;
  readonly peakRssMb: number;
}

function makePeer(system: SystemName, ds: Dataset): Peer {
  switch (system) {
    case 'Tact':
      return tactPeer(ds.kb);
    case 'MiniSearch':
      return minisearchPeer();
    case 'natural Bayes':
      return naturalBayesPeer();
    case 'NLP.js':
      return nlpjsPeer(ds.lang, ds.valid ? { threshold: 0 } : {});
  }
}

async function predictAll(peer: Peer, rows: readonly Example[]): Promise<{ preds: Prediction[]; ms: number[] }> {
  const preds: Prediction[] = [];
  const ms: number[] = [];
  for (const r of rows) {
    const t = process.hrtime.bigint();
    preds.push(peer.predictAsync ? await peer.predictAsync(r.text) : peer.predict(r.text));
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { preds, ms };
}

const label = (p: Prediction, t: number): string => (p.label === OOS_LABEL || p.score < t ? OOS_LABEL : p.label);

/** The same out-of-scope boundary search Tact's own `eval --valid` uses, on this system's scores. */
function calibrate(rows: readonly Example[], preds: readonly Prediction[]): number {
  const scored = rows.map((r, i): ScoredCase => {
    const p = preds[i] as Prediction;
    return { inScope: r.label !== OOS_LABEL, right: p.label === r.label, score: p.score, refused: p.label === OOS_LABEL };
  });
  return oosBoundary(scored) ?? 0;
}

function score(rows: readonly Example[], preds: readonly Prediction[], t: number): Pick<Measurement, 'inScope' | 'oos'> {
  const perLabel = new Map<string, { n: number; ok: number }>();
  let oosN = 0;
  let oosOk = 0;
  rows.forEach((r, i) => {
    const got = label(preds[i] as Prediction, t);
    if (r.label === OOS_LABEL) {
      oosN++;
      if (got === OOS_LABEL) oosOk++;
      return;
    }
    const s = perLabel.get(r.label) ?? { n: 0, ok: 0 };
    s.n++;
    if (got === r.label) s.ok++;
    perLabel.set(r.label, s);
  });
  const all = [...perLabel.values()];
  const n = all.reduce((a, s) => a + s.n, 0);
  const ok = all.reduce((a, s) => a + s.ok, 0);
  const macro = all.length ? all.reduce((a, s) => a + s.ok / s.n, 0) / all.length : 0;
  return { inScope: { n, accuracy: n ? ok / n : 0, macro }, oos: oosN ? { n: oosN, recall: oosOk / oosN } : null };
}

export async function measure(name: DatasetName, system: SystemName): Promise<Measurement> {
  const ds = loadDataset(name);
  const peer = makePeer(system, ds);
  const t0 = process.hrtime.bigint();
  await peer.train(ds.train);
  const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // Warm the JIT on a slice of the test texts (not timed), so p99 measures steady state for every system alike.
  await predictAll(peer, ds.test.slice(0, WARMUP));
  // Without a validation split every system is scored at threshold 0 (its own "none" only), so
  // in-scope accuracies compare like with like; `tact eval` reports Tact's decisions at the KB's thresholds.
  const threshold = ds.valid ? calibrate(ds.valid, (await predictAll(peer, ds.valid)).preds) : 0;
  const { preds, ms } = await predictAll(peer, ds.test);
  const sorted = [...ms].sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  return {
    dataset: name,
    system,
    trainMs: Math.round(trainMs),
    threshold,
    ...score(ds.test, preds, threshold),
    qps: Math.round((ms.length / total) * 1000),
    p99Ms: Math.round((sorted[Math.ceil(sorted.length * 0.99) - 1] ?? 0) * 1000) / 1000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (process.argv[1]?.endsWith('worker.js')) {
  const [name, system] = process.argv.slice(2) as [DatasetName, SystemName];
  measure(name, system).then(
    (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
