/**
 * The learning simulation's pure parts (bench/learning-walk.ts): the seeded
 * split, the walk that accepts each miss and scores after it, and the numbers
 * read off the curve, with a toy learner whose "KB" is the set of messages it
 * knows.
 */
import assert from 'node:assert/strict';
import { acceptedToReach, curveMarks, splitStream, walkFeedback, type CurvePoint, type Learner } from '../../bench/learning-walk.js';

const items = Array.from({ length: 11 }, (_, i) => `m${i}`);

/** Knows a message once accepted; scores the share of `scoring` it knows. */
function toyLearner(scoring: readonly string[]): Learner<ReadonlySet<string>, string> {
  return {
    miss: (known, m) => (known.has(m) ? null : m.startsWith('x') ? 'wrong' : 'clarify'),
    accept: (known, m) => new Set([...known, m]),
    score: (known) => scoring.filter((m) => known.has(m)).length / scoring.length,
  };
}

const point = (accepted: number, top1: number): CurvePoint => ({ accepted, seen: accepted, top1 });

describe('the learning simulation', () => {
  describe('splitStream', () => {
    it('splits every message into exactly one half, the feedback half taking the odd one', () => {
      const { feedback, scoring } = splitStream(items, 14);
      assert.equal(feedback.length, 6);
      assert.equal(scoring.length, 5);
      assert.deepEqual([...feedback, ...scoring].sort(), [...items].sort());
    });

    it('gives the same split for the same seed and a different one for another seed', () => {
      assert.deepEqual(splitStream(items, 14), splitStream(items, 14));
      assert.notDeepEqual(splitStream(items, 14).feedback, splitStream(items, 15).feedback);
    });

    it('shuffles rather than cutting the file in two', () => {
      assert.notDeepEqual(splitStream(items, 14).feedback, items.slice(0, 6));
    });
  });

  describe('walkFeedback', () => {
    it('accepts each message the state misses, not the ones it answers, and scores after each', () => {
      const walk = walkFeedback(new Set(['a']), ['a', 'b', 'c', 'b'], toyLearner(['b', 'c', 'z']));
      assert.deepEqual(walk.curve, [
        { accepted: 0, seen: 0, top1: 0 },
        { accepted: 1, seen: 2, top1: 1 / 3 },
        { accepted: 2, seen: 3, top1: 2 / 3 },
      ]);
      assert.deepEqual([...walk.final].sort(), ['a', 'b', 'c']);
    });

    it('tallies the accepted misses by kind', () => {
      assert.deepEqual(walkFeedback(new Set<string>(), ['b', 'x1', 'c', 'x2'], toyLearner(['b'])).misses, { clarify: 2, wrong: 2 });
    });

    it('scores every few accepted gaps when asked, and always at the end of the stream', () => {
      const curve = walkFeedback(new Set<string>(), ['a', 'b', 'c', 'd', 'e'], toyLearner(['e']), 2).curve;
      assert.deepEqual(
        curve.map((p) => [p.accepted, p.top1]),
        [[0, 0], [2, 0], [4, 0], [5, 1]],
      );
    });

    it('scores once when nothing is missed', () => {
      assert.equal(walkFeedback(new Set(['a']), ['a', 'a'], toyLearner(['a'])).curve.length, 1);
    });
  });

  describe('acceptedToReach', () => {
    it('reads the first point at or above the target, even when a later one falls back', () => {
      const curve = [point(0, 0.5), point(1, 0.79), point(2, 0.8), point(3, 0.7)];
      assert.equal(acceptedToReach(curve, 0.8), 2);
      assert.equal(acceptedToReach(curve, 0.5), 0);
    });

    it('is null when the target is never reached', () => {
      assert.equal(acceptedToReach([point(0, 0.5), point(1, 0.6)], 0.9), null);
    });
  });

  describe('curveMarks', () => {
    it('picks 0, 5, 10, 20, 40 … accepted and the end', () => {
      const curve = Array.from({ length: 46 }, (_, i) => point(i, i / 100));
      assert.deepEqual(
        curveMarks(curve).map((p) => p.accepted),
        [0, 5, 10, 20, 40, 45],
      );
    });

    it('reads the last point before a mark when not every gap was scored', () => {
      const curve = [point(0, 0.1), point(4, 0.2), point(8, 0.3), point(9, 0.4)];
      assert.deepEqual(
        curveMarks(curve).map((p) => p.top1),
        [0.1, 0.2, 0.4],
      );
    });

    it('is the single point when nothing was accepted', () => {
      assert.deepEqual(curveMarks([point(0, 0.5)]), [point(0, 0.5)]);
    });
  });
});
