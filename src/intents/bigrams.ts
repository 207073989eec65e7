/**
 * Character bigrams and their Jaccard overlap: a cheap "is this the same
 * question?" measure that needs no model, for the policy's repeated-question
 * rule and for clustering unanswered questions.
 */

/** The character bigrams of a text, whitespace ignored; a one-character text is its own gram. */
export function bigrams(s: string): Set<string> {
  const compact = s.replace(/\s+/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < compact.length; i++) out.add(compact.slice(i, i + 2));
  if (compact.length === 1) out.add(compact);
  return out;
}

/** Shared over all, 0 when either side is empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}
