/**
 * The learning simulation's pure parts, kept apart from the KB so they can be
 * tested on their own: a seeded split of a shop's messages into a feedback
 * stream and a scoring set, the walk that feeds the stream's misses back one
 * by one (an editor accepting a gap), and the numbers read off its curve.
 * The scoring set is never fed back, so the curve measures what the accepted
 * gaps teach about other customers' wording, not recall of the gaps.
 */
import { mulberry32, shuffle } from '../src/intents/softmax.js';

export interface Split<M> {
  /** Fed back in this order; the first half of the shuffle (the larger one when the count is odd). */
  readonly feedback: readonly M[];
  /** Scored after each accepted gap, never fed back. */
  readonly scoring: readonly M[];
}

/** The same items and seed always give the same split. */
export function splitStream<M>(items: readonly M[], seed: number): Split<M> {
  const order = Int32Array.from(items, (_, i) => i);
  shuffle(order, mulberry32(seed));
  const shuffled = Array.from(order, (i) => items[i] as M);
  const half = Math.ceil(items.length / 2);
  return { feedback: shuffled.slice(0, half), scoring: shuffled.slice(half) };
}

/** How the walk reads and changes a KB state `S` for messages `M`. */
export interface Learner<S, M> {
  /** Null when `state` answers `message` right; otherwise what it did instead (the kind of miss). */
  miss(state: S, message: M): string | null;
  /** The state with `message` accepted as an alternate of its FAQ. */
  accept(state: S, message: M): S;
  /** Top-1 on the scoring set. */
  score(state: S): number;
}

export interface CurvePoint {
  /** Gaps accepted so far. */
  readonly accepted: number;
  /** Feedback messages walked so far. */
  readonly seen: number;
  readonly top1: number;
}

export interface Walk<S> {
  /** A point at 0 accepted, after every `every` accepted, and at the end of the stream. */
  readonly curve: readonly CurvePoint[];
  /** Accepted gaps by what the KB did with them before they were accepted. */
  readonly misses: Readonly<Record<string, number>>;
  readonly final: S;
}

export function walkFeedback<S, M>(start: S, stream: readonly M[], learner: Learner<S, M>, every = 1): Walk<S> {
  let state = start;
  let accepted = 0;
  const misses: Record<string, number> = {};
  const curve: CurvePoint[] = [{ accepted: 0, seen: 0, top1: learner.score(state) }];
  stream.forEach((message, i) => {
    const kind = learner.miss(state, message);
    if (kind === null) return;
    state = learner.accept(state, message);
    accepted++;
    misses[kind] = (misses[kind] ?? 0) + 1;
    if (accepted % every === 0) curve.push({ accepted, seen: i + 1, top1: learner.score(state) });
  });
  const last = curve[curve.length - 1] as CurvePoint;
  if (last.accepted !== accepted) curve.push({ accepted, seen: stream.length, top1: learner.score(state) });
  return { curve, misses, final: state };
}

/** The accepted count of the first point at or above `target`, or null when none reaches it. */
export function acceptedToReach(curve: readonly CurvePoint[], target: number): number | null {
  return curve.find((p) => p.top1 >= target)?.accepted ?? null;
}

/**
 * The curve at 0, 5, 10, 20, 40 … accepted, and at its end: each mark reads
 * the last point at or before it (the mark itself when every gap is scored).
 */
export function curveMarks(curve: readonly CurvePoint[]): CurvePoint[] {
  const end = curve[curve.length - 1];
  if (!end) return [];
  const marks = [0, 5];
  while ((marks[marks.length - 1] as number) * 2 < end.accepted) marks.push((marks[marks.length - 1] as number) * 2);
  const out = marks.filter((m) => m < end.accepted).map((m) => curve.filter((p) => p.accepted <= m).pop() as CurvePoint);
  return [...new Set([...out, end])];
}
