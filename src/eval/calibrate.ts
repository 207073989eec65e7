/**
 * Chooses thresholds on labelled validation cases.
 *  - The out-of-scope boundary maximizes the expected accuracy of a stream in
 *    which about one message in five is out of scope (OOS_SHARE): in-scope
 *    accuracy and out-of-scope recall weighted 4 : 1. Weighting them equally
 *    would trade several points of in-scope accuracy for a little recall.
 *  - The answer threshold then maximizes right answers minus wrong answers
 *    among in-scope cases; between the two, the bot asks (clarify).
 *  - Validation cases without out-of-scope examples cannot say what
 *    abstaining buys: the KB's own thresholds stay (raising them would only
 *    turn right answers into questions).
 * The same boundary search is used for every system in the benchmark.
 */
import type { FaqIndex } from '../bot/core/faq-index.js';
import type { KbSettings } from '../kb/types.js';
import type { EvalCase } from './evaluate.js';

export const OOS_SHARE = 0.2;
const GRID = Array.from({ length: 101 }, (_, i) => i / 100);

export interface ScoredCase {
  readonly inScope: boolean;
  /** The top prediction is the right FAQ (in-scope cases only). */
  readonly right: boolean;
  readonly score: number;
  /** The system itself said "none", whatever the threshold. */
  readonly refused: boolean;
}

const answers = (s: ScoredCase, t: number): boolean => !s.refused && s.score >= t;

/** The out-of-scope boundary; undefined when the cases have no out-of-scope examples to weigh. */
export function oosBoundary(cases: readonly ScoredCase[]): number | undefined {
  const inScope = cases.filter((s) => s.inScope);
  const oos = cases.filter((s) => !s.inScope);
  if (oos.length === 0 || inScope.length === 0) return undefined;
  return best(GRID, (t) => (1 - OOS_SHARE) * (inScope.filter((s) => answers(s, t) && s.right).length / inScope.length) + OOS_SHARE * (oos.filter((s) => !answers(s, t)).length / oos.length));
}

export function calibrate(index: FaqIndex, valid: readonly EvalCase[]): KbSettings {
  const scored = valid.map((c): ScoredCase => {
    const m = index.matcher.match(c.text, 1);
    const top = m.candidates[0];
    return {
      inScope: c.expect.kind === 'faq',
      right: c.expect.kind === 'faq' && top?.faqId === c.expect.faqId,
      score: top?.confidence ?? 0,
      refused: !top || m.noneScore > top.blended,
    };
  });
  const boundary = oosBoundary(scored);
  if (boundary === undefined) return index.kb.settings;
  const inScope = scored.filter((s) => s.inScope);
  const answerAt = best(
    GRID.filter((t) => t >= boundary),
    (t) => inScope.filter((s) => answers(s, t) && s.right).length - inScope.filter((s) => answers(s, t) && !s.right).length,
  );
  return { clarifyThreshold: boundary, answerThreshold: answerAt };
}

/** The grid value with the highest objective; ties go to the lowest value. */
function best(grid: readonly number[], objective: (t: number) => number): number {
  let bestT = grid[0] ?? 0;
  let bestV = -Infinity;
  for (const t of grid) {
    const v = objective(t);
    if (v > bestV) {
      bestV = v;
      bestT = t;
    }
  }
  return bestT;
}
