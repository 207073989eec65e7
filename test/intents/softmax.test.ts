import assert from 'node:assert/strict';
import { mulberry32, topK } from '../../src/intents/softmax.js';

describe('softmax helpers', () => {
  it('picks the k largest values, largest first and ties in index order, as a full stable sort would (property)', () => {
    const random = mulberry32(3);
    for (let n = 0; n < 300; n++) {
      const size = Math.floor(random() * 60);
      // Few distinct values, so ties are common; Infinity as mining marks the true class.
      const values = Float64Array.from({ length: size }, () => (random() < 0.05 ? Infinity : Math.floor(random() * 8) / 4));
      const k = Math.floor(random() * (size + 3));
      const sorted = Int32Array.from(values.keys()).sort((a, c) => (values[c] as number) - (values[a] as number) || a - c);
      assert.deepEqual([...topK(values, k)], [...sorted.subarray(0, Math.min(k, size))], `${[...values]} k=${k}`);
    }
  });
});
