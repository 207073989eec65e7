/**
 * `npm run bench`: every system on every available dataset, each pair in its
 * own process, one after another on the same machine. Prints a Markdown table
 * (with Tact's speed ratio and accuracy difference against each peer) and
 * writes bench/results/latest.json.
 *
 *   node dist/bench/run.js [--datasets clinc150,banking77] [--systems Tact,NLP.js]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/kb/defaults.js';
import { available, DATASET_NAMES, loadDataset, type DatasetName } from './datasets.js';
import { SYSTEMS, type Measurement, type SystemName } from './worker.js';

function runOne(dataset: DatasetName, system: SystemName): Measurement | { dataset: string; system: string; error: string } {
  const worker = join(packageRoot(), 'dist', 'bench', 'worker.js');
  try {
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', worker, dataset, system], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 6 * 60_000 });
    return JSON.parse(out.trim().split('\n').pop() as string) as Measurement;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    return { dataset, system, error: stderr.trim().split('\n').slice(0, 3).join(' ') };
  }
}

const pct = (v: number): string => (v * 100).toFixed(1);

function table(rows: readonly (Measurement | { dataset: string; system: string; error: string })[]): string {
  const lines = [
    '| dataset | system | in-scope acc % | macro acc % | OOS recall % | threshold | train/build s | queries/s | p99 ms | peak RSS MB | Tact speed × | Tact acc Δ pts |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if ('error' in r) {
      lines.push(`| ${r.dataset} | ${r.system} | error: ${r.error.replace(/\|/g, '/')} |||||||||| `);
      continue;
    }
    const tact = rows.find((x): x is Measurement => !('error' in x) && x.dataset === r.dataset && x.system === 'Tact');
    const vs = tact && r.system !== 'Tact' ? `${(tact.qps / r.qps).toFixed(1)}` : '';
    const dAcc = tact && r.system !== 'Tact' ? `${((tact.inScope.accuracy - r.inScope.accuracy) * 100).toFixed(1)}` : '';
    lines.push(
      `| ${r.dataset} | ${r.system} | ${pct(r.inScope.accuracy)} | ${pct(r.inScope.macro)} | ${r.oos ? pct(r.oos.recall) : '–'} | ${r.threshold} | ${(r.trainMs / 1000).toFixed(2)} | ${r.qps} | ${r.p99Ms} | ${r.peakRssMb} | ${vs} | ${dAcc} |`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { datasets: { type: 'string' }, systems: { type: 'string' } } });
  const datasets = (values.datasets?.split(',') ?? [...DATASET_NAMES]) as DatasetName[];
  const systems = (values.systems?.split(',') ?? [...SYSTEMS]) as SystemName[];
  const rows = [];
  const notes: string[] = [];
  for (const d of datasets) {
    if (!available(d)) {
      process.stderr.write(`skipping ${d}: data not found\n`);
      continue;
    }
    const ds = loadDataset(d);
    notes.push(`- ${d}: ${ds.note}; train ${ds.train.length}, test ${ds.test.length}`);
    for (const s of systems) {
      process.stderr.write(`${d} · ${s} …\n`);
      rows.push(runOne(d, s));
    }
  }
  const md = `${table(rows)}\n\n${notes.join('\n')}\n`;
  process.stdout.write(md);
  const dir = join(packageRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), md);
}

main();
