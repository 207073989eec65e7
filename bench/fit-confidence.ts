/**
 * Fits the weights of calibrated confidence (src/intents/confidence.ts) on
 * the development shops only — the lamp and skincare shops and the demo
 * KB's cases and regression tests, whose failures the team has read — and prints them, with the
 * log-loss before and after, so they can be pasted into confidence.ts.
 * The electronics and food-delivery shops are never read here: they stay
 * the held-out measure of whether the weights generalise.
 *
 *   npm run build && node dist/bench/fit-confidence.js
 *
 * Each case gives one example, its top candidate: "is this the FAQ meant"
 * (an out-of-scope message's never is). Runners-up take their confidence
 * from the top's (see the matcher).
 * Besides each whole KB, seeded subsets of 6, 12 and 20 of its FAQs stand in
 * for the small KBs a new shop starts with: a question whose FAQ was left
 * out is then out of scope, and must not be answered by a neighbour that
 * happens to share its words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFaqIndex } from '../src/bot/core/faq-index.js';
import { parseExpectation } from '../src/eval/evaluate.js';
import { CONFIDENCE_WEIGHTS, signalVector } from '../src/intents/confidence.js';
import { mulberry32, shuffle } from '../src/intents/softmax.js';
import { packageRoot } from '../src/kb/defaults.js';
import { languageData } from '../src/kb/language-data.js';
import { loadKbSource, readExamples } from '../src/kb/source.js';

const DEV_SETS = [
  { kb: 'bench/heldout/faqs.csv', cases: 'bench/heldout/policy.jsonl' },
  { kb: 'bench/heldout2/faqs.csv', cases: 'bench/heldout2/policy.jsonl' },
  { kb: 'knowledge-base', cases: 'knowledge-base/cases.jsonl' },
  { kb: 'knowledge-base', cases: 'knowledge-base/tests.jsonl' },
] as const;

/** L2 strength (bias excluded), steps and rate of plain gradient descent: the problem is small and convex. */
const L2 = 1e-3;
const STEPS = 20_000;
const RATE = 1;

interface Example {
  readonly x: readonly number[];
  readonly y: number;
}

const SUBSET_SIZES = [6, 12, 20];

export function examples(): Example[] {
  const root = packageRoot();
  const out: Example[] = [];
  for (const set of DEV_SETS) {
    const kb = loadKbSource(join(root, set.kb));
    const path = join(root, set.cases);
    const cases = readExamples(readFileSync(path, 'utf8'), path).map((e) => ({ text: e.text, expect: parseExpectation(e.label, e) }));
    const random = mulberry32(SUBSET_SIZES.length);
    const kbs = [kb, ...SUBSET_SIZES.map((n) => ({ ...kb, faqs: pickFaqs(kb.faqs, n, random) }))];
    for (const part of kbs) {
      const index = buildFaqIndex(part, languageData());
      for (const c of cases) {
        if (c.expect.kind !== 'faq' && c.expect.kind !== 'none') continue;
        const meant = c.expect.kind === 'faq' ? c.expect.faqId : null;
        const top = index.matcher.match(c.text, 1).candidates[0];
        if (top?.signals) out.push({ x: signalVector(top.signals), y: top.faqId === meant ? 1 : 0 });
      }
    }
  }
  return out;
}

function pickFaqs<T>(faqs: readonly T[], n: number, random: () => number): T[] {
  const order = Int32Array.from(faqs, (_, i) => i);
  shuffle(order, random);
  return [...order.subarray(0, n)].sort((a, b) => a - b).map((i) => faqs[i] as T);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const dot = (w: readonly number[], x: readonly number[]): number => x.reduce((s, v, i) => s + v * (w[i] ?? 0), 0);

export function logLoss(w: readonly number[], data: readonly Example[]): number {
  const eps = 1e-9;
  return data.reduce((s, e) => {
    const p = sigmoid(dot(w, e.x));
    return s - (e.y * Math.log(p + eps) + (1 - e.y) * Math.log(1 - p + eps));
  }, 0) / Math.max(1, data.length);
}

/** Logistic regression by gradient descent, L2 on every weight but the bias. */
export function fit(data: readonly Example[], steps = STEPS): number[] {
  const d = data[0]?.x.length ?? 0;
  const w = new Array<number>(d).fill(0);
  for (let step = 0; step < steps; step++) {
    const g = new Array<number>(d).fill(0);
    for (const e of data) {
      const err = sigmoid(dot(w, e.x)) - e.y;
      e.x.forEach((v, i) => (g[i]! += err * v));
    }
    for (let i = 0; i < d; i++) w[i]! -= RATE * ((g[i] as number) / data.length + (i > 0 ? L2 * (w[i] as number) : 0));
  }
  return w;
}

function main(): void {
  const data = examples();
  const w = fit(data);
  process.stdout.write(`examples: ${data.length} (${data.filter((e) => e.y === 1).length} right)\n`);
  process.stdout.write(`log-loss with the weights in confidence.ts: ${logLoss(CONFIDENCE_WEIGHTS, data).toFixed(4)}; fitted: ${logLoss(w, data).toFixed(4)}\n`);
  process.stdout.write(`export const CONFIDENCE_WEIGHTS: readonly number[] = [${w.map((v) => v.toFixed(3)).join(', ')}];\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
