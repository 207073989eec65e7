import assert from 'node:assert/strict';
import { BACKOFF, backoffDelay, reconnectDelay } from '../../src/widget/backoff.js';

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

describe('the widget reconnect delay after a refusal', () => {
  it('waits at least as long as the server asked, with jitter on top so refused widgets do not return together', () => {
    const low = reconnectDelay(0, 45, () => 0);
    const high = reconnectDelay(0, 45, () => 1);
    assert.ok(low >= 45_000 && high > low && high <= 45_000 * 1.25, `${low}–${high}`);
  });

  it('keeps the ordinary backoff when it is longer than the hint, or when there is none', () => {
    assert.equal(reconnectDelay(7, 1, () => 0), backoffDelay(7, () => 0));
    assert.equal(reconnectDelay(2, undefined, () => 1), backoffDelay(2, () => 1));
  });
});
