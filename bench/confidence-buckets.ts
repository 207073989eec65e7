/**
 * The reliability table: does a confidence mean what it says? Cases are
 * bucketed by the matcher's top candidate's confidence, and each bucket
 * reports how many cases fell in it and the share whose top candidate is
 * the right FAQ. Well-calibrated confidence rises bucket by bucket with
 * the share right; a high bucket that is often wrong is where confidently
 * wrong answers come from.
 * FAQ cases count as right when the top candidate is their FAQ;
 * out-of-scope cases are never right (no FAQ is), so a bucket full of them
 * shows confidence that off-topic messages should not have had. Handoff and
 * small-talk cases name no FAQ and are left out.
 */
import type { CaseOutcome } from '../src/eval/evaluate.js';

/** Lower edges; each bucket runs to the next edge, the last one to 1 inclusive. */
export const BUCKET_EDGES = [0, 0.2, 0.4, 0.6, 0.8] as const;

export interface Judged {
  readonly confidence: number;
  readonly right: boolean;
}

export interface Bucket {
  readonly from: number;
  readonly to: number;
  readonly n: number;
  /** Share of the bucket's cases whose top candidate is right; null for an empty bucket. */
  readonly right: number | null;
}

export interface ReliabilityRow {
  readonly name: string;
  readonly buckets: readonly Bucket[];
}

/** The bucket a confidence falls in: `[from, to)`, except that 1 (and anything above) is in the last. */
export function bucketOf(confidence: number): number {
  let i = 0;
  while (i + 1 < BUCKET_EDGES.length && confidence >= (BUCKET_EDGES[i + 1] as number)) i++;
  return i;
}

/**
 * @example buckets([{ confidence: 0.9, right: true }, { confidence: 0.85, right: false }])[4] // { from: 0.8, to: 1, n: 2, right: 0.5 }
 */
export function buckets(cases: readonly Judged[]): Bucket[] {
  const tally = BUCKET_EDGES.map(() => ({ n: 0, right: 0 }));
  for (const c of cases) {
    const t = tally[bucketOf(c.confidence)] as { n: number; right: number };
    t.n++;
    if (c.right) t.right++;
  }
  return tally.map((t, i) => ({
    from: BUCKET_EDGES[i] as number,
    to: BUCKET_EDGES[i + 1] ?? 1,
    n: t.n,
    right: t.n ? Math.round((t.right / t.n) * 10000) / 10000 : null,
  }));
}

/** The FAQ and out-of-scope cases of an evaluation, judged by their top candidate; no candidate at all is confidence 0, not right. */
export function judged(outcomes: readonly Pick<CaseOutcome, 'case' | 'top'>[]): Judged[] {
  return outcomes
    .filter((o) => o.case.expect.kind === 'faq' || o.case.expect.kind === 'none')
    .map((o) => ({
      confidence: o.top?.confidence ?? 0,
      right: o.case.expect.kind === 'faq' && o.top?.faqId === o.case.expect.faqId,
    }));
}

const cell = (b: Bucket): string => `${b.n} / ${b.right === null ? '–' : `${Math.round(b.right * 100)}%`}`;
const range = (from: number, i: number): string => (i + 1 < BUCKET_EDGES.length ? `[${from}, ${BUCKET_EDGES[i + 1]})` : `[${from}, 1]`);

/** One row per set, one column per bucket, each cell `cases / % right`. */
export function reliabilityTable(rows: readonly ReliabilityRow[]): string {
  const head = BUCKET_EDGES.map(range);
  return [`| top confidence → cases / % right | ${head.join(' | ')} |`, `|---|${head.map(() => '---|').join('')}`, ...rows.map((r) => `| ${r.name} | ${r.buckets.map(cell).join(' | ')} |`)].join('\n');
}
