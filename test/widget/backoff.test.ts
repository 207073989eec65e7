import assert from 'node:assert/strict';
import { BACKOFF, backoffDelay } from '../../src/widget/backoff.js';

describe('the widget reconnect backoff', () => {
  const cases: [attempt: number, low: number, high: number][] = [
    [0, 250, 500],
    [1, 500, 1000],
    [3, 2000, 4000],
    [6, 15_000, 30_000],
    [7, 15_000, 30_000],
    [40, 15_000, 30_000],
  ];
  for (const [attempt, low, high] of cases) {
    it(`waits ${low}–${high} ms before retry ${attempt}`, () => {
      assert.equal(backoffDelay(attempt, () => 0), low);
      assert.equal(backoffDelay(attempt, () => 1), high);
    });
  }

  it('never waits longer than the cap, whatever the jitter', () => {
    for (let attempt = 0; attempt < 60; attempt++) assert.ok(backoffDelay(attempt) <= BACKOFF.capMs);
  });
});
