/**
 * A validation split held out of a training set that has none (BANKING77):
 * a seeded share of each label's examples, so every label stays on both
 * sides, the split is the same on every run, and the test set is never
 * touched. Labels too small to give one example keep all of theirs.
 */
import { mulberry32, shuffle } from '../src/intents/softmax.js';
import type { Example } from './peers/peer.js';

export interface Split<T> {
  readonly train: T[];
  readonly valid: T[];
}

/** Which positions of a label's examples go to validation: `round(share × n)` of them, drawn by a seeded shuffle. */
function heldPositions(n: number, share: number, random: () => number): Set<number> {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(order, random);
  const held = n > 1 ? Math.round(share * n) : 0;
  return new Set(order.subarray(0, Math.min(held, n - 1)));
}

/**
 * Splits examples into train and validation, label by label; both keep the input's order.
 * @example holdOut(rows, 0.1, 77) // about 10% of every label's rows in `valid`
 */
export function holdOut<T extends Example>(rows: readonly T[], share: number, seed: number): Split<T> {
  const random = mulberry32(seed);
  const byLabel = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const positions = byLabel.get(r.label);
    if (positions) positions.push(i);
    else byLabel.set(r.label, [i]);
  });
  const toValid = new Set<number>();
  for (const positions of byLabel.values()) {
    for (const p of heldPositions(positions.length, share, random)) toValid.add(positions[p] as number);
  }
  return { train: rows.filter((_, i) => !toValid.has(i)), valid: rows.filter((_, i) => toValid.has(i)) };
}
