/**
 * `npm run bench`: every system on every available dataset, each pair in its
 * own process, one after another on the same machine. Prints a Markdown table
 * (with Tact's speed ratio and accuracy difference against each peer), then
 * the public intent sets through `tact eval`'s own path (bench/eval-datasets.ts),
 * the emotion section (bench/emotion.ts), the policy section
 * (bench/policy.ts), the learning section (bench/learning.ts), the store
 * section (bench/store.ts), the chat socket section (bench/socket.ts) and
 * the reliability soak (bench/reliability.ts), the widget's download size (bench/widget.ts),
 * and writes bench/results/latest.md and
 * latest.json (matching under `rows`, the others under their section's name).
 *
 *   node dist/bench/run.js [--datasets clinc150,banking77] [--systems Tact,NLP.js]
 *   node dist/bench/run.js --only emotion[,policy,learning,matching,datasets,store,socket,reliability,widget]
 * A run with --only writes bench/results/only-<sections>.md/.json instead,
 * so the full run's latest.* are never replaced by a partial one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/kb/defaults.js';
import { available, DATASET_NAMES, loadDataset, type DatasetName } from './datasets.js';
import { runEmotionSection } from './emotion.js';
import { runDatasetsSection } from './eval-datasets.js';
import { runLearningSection } from './learning.js';
import { runPolicySection } from './policy.js';
import { runReliabilitySection } from './reliability.js';
import { runSocketSection } from './socket.js';
import { runStoreSection } from './store.js';
import { runWidgetSection } from './widget.js';
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

const SECTIONS = ['matching', 'datasets', 'emotion', 'policy', 'learning', 'store', 'socket', 'reliability', 'widget'] as const;
type Section = (typeof SECTIONS)[number];

function parseSections(only: string | undefined): Section[] {
  if (only === undefined) return [...SECTIONS];
  const wanted = only.split(',').map((x) => x.trim());
  const unknown = wanted.filter((x) => !(SECTIONS as readonly string[]).includes(x));
  if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(', ')} (use ${SECTIONS.join(', ')})`);
  return SECTIONS.filter((x) => wanted.includes(x));
}

function matching(datasets: DatasetName[], systems: SystemName[]): { md: string; rows: ReturnType<typeof runOne>[] } {
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
  return { md: `${table(rows)}\n\n${notes.join('\n')}\n`, rows };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { datasets: { type: 'string' }, systems: { type: 'string' }, only: { type: 'string' } } });
  const datasets = (values.datasets?.split(',') ?? [...DATASET_NAMES]) as DatasetName[];
  const systems = (values.systems?.split(',') ?? [...SYSTEMS]) as SystemName[];
  const sections = parseSections(values.only);
  const parts: string[] = [];
  const results: Record<string, unknown> = {};
  const print = (md: string): void => {
    process.stdout.write(parts.length ? `\n${md}` : md);
    parts.push(md);
  };
  if (sections.includes('matching')) {
    const m = matching(datasets, systems);
    print(m.md);
    results['rows'] = m.rows;
  }
  if (sections.includes('datasets')) {
    const d = runDatasetsSection((line) => process.stderr.write(`${line}\n`));
    print(d.md);
    results['datasets'] = d.rows;
  }
  if (sections.includes('emotion')) {
    const e = runEmotionSection((line) => process.stderr.write(`${line}\n`));
    print(e.md);
    results['emotion'] = e.rows;
  }
  if (sections.includes('policy')) {
    const p = runPolicySection();
    print(p.md);
    results['policy'] = p.rows;
  }
  if (sections.includes('learning')) {
    const l = runLearningSection((line) => process.stderr.write(`${line}\n`));
    print(l.md);
    results['learning'] = l.rows;
  }
  if (sections.includes('store')) {
    process.stderr.write('store …\n');
    const st = await runStoreSection();
    print(st.md);
    results['store'] = st.rows;
  }
  if (sections.includes('socket')) {
    process.stderr.write('socket …\n');
    const so = await runSocketSection();
    print(so.md);
    results['socket'] = so.rows;
  }
  if (sections.includes('reliability')) {
    process.stderr.write('reliability …\n');
    const re = await runReliabilitySection();
    print(re.md);
    results['reliability'] = re.rows;
  }
  if (sections.includes('widget')) {
    const w = runWidgetSection();
    print(w.md);
    results['widget'] = w.rows;
  }
  const dir = join(packageRoot(), 'bench', 'results');
  const name = values.only === undefined ? 'latest' : `only-${sections.join('-')}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), parts.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
