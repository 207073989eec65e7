/**
 * Chooses thresholds on labelled validation cases. The out-of-scope boundary
 * maximizes in-scope accuracy + out-of-scope recall (both count equally, as a
 * customer-facing bot should weigh a wrong answer against a missed one); the
 * answer threshold then maximizes right answers minus wrong answers among
 * in-scope cases, asking (clarify) in between.
 */
import type { MatchResult } from '../intents/matcher.js';
import type { FaqIndex } from '../bot/core/faq-index.js';
import type { KbSettings } from '../kb/types.js';
import type { EvalCase } from './evaluate.js';

const GRID = Array.from({ length: 101 }, (_, i) => i / 100);

interface Scored {
  readonly expect: EvalCase['expect'];
  readonly top: string | null;
  readonly confidence: number;
  readonly negative: boolean;
}

export function calibrate(index: FaqIndex, valid: readonly EvalCase[]): KbSettings {
  const scored = valid.map((c): Scored => {
    const m: MatchResult = index.matcher.match(c.text, 1);
    const top = m.candidates[0];
    return { expect: c.expect, top: top?.faqId ?? null, confidence: top?.confidence ?? 0, negative: !!top && m.noneScore > top.confidence };
  });
  const inScope = scored.filter((s) => s.expect.kind === 'faq');
  const oos = scored.filter((s) => s.expect.kind === 'none');
  const answers = (s: Scored, t: number): boolean => !s.negative && s.top !== null && s.confidence >= t;
  const right = (s: Scored): boolean => s.expect.kind === 'faq' && s.top === s.expect.faqId;
  const boundary = best(GRID, (t) => (inScope.length ? inScope.filter((s) => answers(s, t) && right(s)).length / inScope.length : 0) + (oos.length ? oos.filter((s) => !answers(s, t)).length / oos.length : 0));
  const answerAt = best(
    GRID.filter((t) => t >= boundary),
    (t) => inScope.filter((s) => answers(s, t) && right(s)).length - inScope.filter((s) => answers(s, t) && !right(s)).length,
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
