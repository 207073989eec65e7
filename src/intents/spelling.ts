/**
 * English typos, corrected against the words a matcher knows: a word that
 * is not English (`isWord`) and that the KB's phrasings and the lexicon
 * never use ("lnog", "shiping", "refnud")
 * is read as the known word it is one edit away from (a letter added,
 * dropped, changed, or two swapped); between several, the one the KB uses
 * most, and none when that is a tie. Known words, short words (under 4
 * letters), numbers and Chinese are left alone: "form" is not read as
 * "from".
 *
 * Lookup is a symmetric-delete index: every known word is stored under
 * itself and each form with one letter deleted, so a typo's own deletes
 * meet it in a few map lookups, whatever the vocabulary's size.
 *
 * @example new Speller(new Map([['long', 2], ['ship', 1]])).correctTerm('lnog') // 'long'
 */
import type { Analysis } from './analyze.js';
import type { Lexicon } from './lexicon.js';
import type { Token } from './tokenize.js';

/** Words shorter than this are never corrected: too many neighbours one edit away. */
const MIN_LETTERS = 4;
const WORD = /^[a-z]+$/;

export class Speller {
  private readonly byDelete = new Map<string, Set<string>>();

  /** `words`: English terms as the tokenizer makes them (stems), each with how much the KB uses it (higher: more). */
  constructor(
    private readonly known: ReadonlyMap<string, number>,
    /** Real words are never corrected, even when the KB does not use them. */
    private readonly isWord: (surface: string) => boolean = () => false,
  ) {
    for (const w of known.keys()) {
      if (!WORD.test(w) || w.length < MIN_LETTERS - 1) continue;
      for (const key of [w, ...deletes(w)]) {
        const set = this.byDelete.get(key) ?? new Set<string>();
        set.add(w);
        this.byDelete.set(key, set);
      }
    }
  }

  /** The known word a typo stands for, or the term itself; `surface` is the word as typed, checked against real words last (the list is large). */
  correctTerm(term: string, surface?: string): string {
    if (this.known.has(term) || term.length < MIN_LETTERS || !WORD.test(term)) return term;
    if (surface !== undefined && this.isWord(surface)) return term;
    const found = new Set<string>();
    for (const key of [term, ...deletes(term)]) for (const w of this.byDelete.get(key) ?? []) if (oneEdit(term, w)) found.add(w);
    const ranked = [...found].map((w) => ({ w, use: this.known.get(w) ?? 0 })).sort((a, b) => b.use - a.use);
    const [first, second] = ranked;
    if (!first || (second && second.use === first.use)) return term;
    return first.w;
  }

  /** The analysis with its English typos corrected, and the lexicon's concepts found again in the corrected words. */
  correct(analysis: Analysis, lexicon: Lexicon): Analysis {
    let changed = false;
    const tokens = analysis.tokens.map((t): Token => {
      if (t.script !== 'latin') return t;
      const term = this.correctTerm(t.term, t.surface);
      if (term === t.term) return t;
      changed = true;
      return { ...t, term };
    });
    if (!changed) return analysis;
    return { ...analysis, tokens, concepts: lexicon.find(analysis.normalized, tokens), stop: tokens.map((t) => lexicon.isStopword(t.term)) };
  }
}

function deletes(w: string): string[] {
  return Array.from(w, (_c, i) => w.slice(0, i) + w.slice(i + 1));
}

/** Exactly one insertion, deletion, substitution or swap of neighbours apart. */
function oneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    if (diff.length === 1) return true;
    const [i, j] = diff;
    return diff.length === 2 && j === (i as number) + 1 && a[i as number] === b[j as number] && a[j as number] === b[i as number];
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return deletes(long).includes(short);
}
