/**
 * A validation split held out of a training set that has none (BANKING77):
 * a seeded share of each label's examples, so every label stays on both
 * sides, the split is the same on every run, and the test set is never
 * touched. Labels too small to give one example keep all of theirs.
 */
import type { Example } from './peers/peer.js';

export interface Split<T> {
  readonly train: T[];
  readonly valid: T[];
}

/** mulberry32: a small seeded generator, enough to shuffle reproducibly. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which positions of a label's examples go to validation: `round(share × n)` of them, drawn by a seeded shuffle. */
function heldPositions(n: number, share: number, random: () => number): Set<number> {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const held = n > 1 ? Math.round(share * n) : 0;
  return new Set(order.slice(0, Math.min(held, n - 1)));
}

/**
 * Splits examples into train and validation, label by label; both keep the input's order.
 * @example holdOut(rows, 0.1, 77) // about 10% of every label's rows in `valid`
 */
export function holdOut<T extends Example>(rows: readonly T[], share: number, seed: number): Split<T> {
  const random = seeded(seed);
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
