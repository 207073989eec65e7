/**
 * The reliability table (bench/confidence-buckets.ts): confidence buckets,
 * the share right in each, which cases count, and the Markdown it prints.
 */
import assert from 'node:assert/strict';
import { bucketOf, buckets, judged, reliabilityTable } from '../../bench/confidence-buckets.js';
import { parseExpectation, type CaseOutcome } from '../../src/eval/evaluate.js';

// The table reads only the case and its top candidate, not what the bot decided.
const outcome = (label: string, top: CaseOutcome['top']): Pick<CaseOutcome, 'case' | 'top'> => ({ case: { text: 'a message', expect: parseExpectation(label) }, top });

describe('the confidence reliability table', () => {
  it('puts each confidence in its bucket: lower edge in, upper edge out, 1 in the last', () => {
    assert.deepEqual([0, 0.19999, 0.2, 0.5, 0.79, 0.8, 1, 1.2].map(bucketOf), [0, 0, 1, 2, 3, 4, 4, 4]);
  });

  it('counts the cases in each bucket and the share that were right', () => {
    const b = buckets([
      { confidence: 0.9, right: true },
      { confidence: 0.85, right: false },
      { confidence: 0.95, right: true },
      { confidence: 0.1, right: false },
    ]);
    assert.deepEqual(b[4], { from: 0.8, to: 1, n: 3, right: 0.6667 });
    assert.deepEqual(b[0], { from: 0, to: 0.2, n: 1, right: 0 });
    assert.deepEqual(b[2], { from: 0.4, to: 0.6, n: 0, right: null });
  });

  it('judges FAQ cases by their top candidate, counts out-of-scope as never right, and leaves handoff and small talk out', () => {
    const cases = [
      outcome('refund', { faqId: 'refund', confidence: 0.7 }),
      outcome('refund', { faqId: 'shipping', confidence: 0.9 }),
      outcome('oos', { faqId: 'refund', confidence: 0.5 }),
      outcome('refund', null),
      outcome('handoff', { faqId: 'refund', confidence: 0.9 }),
      outcome('smalltalk', null),
    ];
    assert.deepEqual(judged(cases), [
      { confidence: 0.7, right: true },
      { confidence: 0.9, right: false },
      { confidence: 0.5, right: false },
      { confidence: 0, right: false },
    ]);
  });

  it('prints one row per set with `cases / % right` per bucket', () => {
    const md = reliabilityTable([{ name: 'lamp shop', buckets: buckets([{ confidence: 0.9, right: true }, { confidence: 0.3, right: false }]) }]);
    const lines = md.split('\n');
    assert.equal(lines[0], '| top confidence → cases / % right | [0, 0.2) | [0.2, 0.4) | [0.4, 0.6) | [0.6, 0.8) | [0.8, 1] |');
    assert.equal(lines[2], '| lamp shop | 0 / – | 1 / 0% | 0 / – | 0 / – | 1 / 100% |');
  });
});
