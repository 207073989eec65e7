/**
 * The validation split held out of a training set (bench/holdout.ts): seeded,
 * per label, and never losing or duplicating an example.
 */
import assert from 'node:assert/strict';
import { holdOut } from '../../bench/holdout.js';
import type { Example } from '../../bench/peers/peer.js';

const rows = (label: string, n: number): Example[] => Array.from({ length: n }, (_, i) => ({ text: `${label} ${i}`, label }));
const DATA = [...rows('card_arrival', 40), ...rows('top_up_failed', 20), ...rows('refund', 3)];
const count = (xs: readonly Example[], label: string): number => xs.filter((x) => x.label === label).length;

describe('holding a validation split out of training examples', () => {
  it('puts about the given share of every label in validation', () => {
    const { valid } = holdOut(DATA, 0.1, 7);
    assert.equal(count(valid, 'card_arrival'), 4);
    assert.equal(count(valid, 'top_up_failed'), 2);
    assert.equal(count(valid, 'refund'), 0);
  });

  it('keeps every example exactly once, on one side, in the input order', () => {
    const { train, valid } = holdOut(DATA, 0.1, 7);
    assert.equal(train.length + valid.length, DATA.length);
    assert.deepEqual(new Set([...train, ...valid].map((x) => x.text)).size, DATA.length);
    const position = (x: Example): number => DATA.indexOf(x);
    assert.deepEqual(train.map(position), [...train.map(position)].sort((a, b) => a - b));
    assert.deepEqual(valid.map(position), [...valid.map(position)].sort((a, b) => a - b));
  });

  it('gives the same split for the same seed and a different one for another seed', () => {
    assert.deepEqual(holdOut(DATA, 0.1, 7), holdOut(DATA, 0.1, 7));
    assert.notDeepEqual(holdOut(DATA, 0.1, 7).valid, holdOut(DATA, 0.1, 8).valid);
  });

  it('never empties a label from training, however large the share', () => {
    const { train } = holdOut([...rows('a', 2), ...rows('b', 1)], 0.9, 1);
    assert.equal(count(train, 'a'), 1);
    assert.equal(count(train, 'b'), 1);
  });
});
