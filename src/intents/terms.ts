/**
 * A set of phrases to find in analyzed text, each carrying a value (a
 * concept id, an emotion weight, a risk kind). Chinese phrases match as
 * substrings of the normalized text, longest first; English phrases match
 * as sequences of stemmed tokens, so "cracked" finds "crack". Every hit
 * says where it is, so callers can look just before it (negators,
 * intensifiers).
 *
 * @example
 *   const risks = new TermSet([{ phrase: '冒烟', value: 'safety' }, { phrase: 'caught fire', value: 'safety' }]);
 *   risks.find(normalized, tokens) // [{ value: 'safety', phrase: '冒烟', script: 'han', start: 3, end: 5 }]
 */
import { normalize } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';

export interface TermEntry<T> {
  readonly phrase: string;
  readonly value: T;
}

/** Where a hit is: character offsets in the normalized text (han) or token offsets (latin); `end` is exclusive. */
export interface TermHit<T> {
  readonly value: T;
  /** The phrase as found (normalized), for explanations. */
  readonly phrase: string;
  readonly script: 'han' | 'latin';
  readonly start: number;
  readonly end: number;
}

interface HanEntry<T> {
  readonly term: string;
  readonly value: T;
}

interface LatinEntry<T> {
  readonly stems: readonly string[];
  readonly value: T;
  readonly phrase: string;
}

const HAN_TERM = /^\p{Script=Han}+$/u;

/** A TermSet's phrases as read (normalized, stemmed), in lookup order: restoring skips reading them again. */
export interface TermSetSnapshot<T> {
  readonly han: readonly HanEntry<T>[];
  readonly latin: readonly LatinEntry<T>[];
  readonly size: number;
}

export class TermSet<T> {
  private readonly han = new Map<string, HanEntry<T>[]>();
  private readonly latin = new Map<string, LatinEntry<T>[]>();
  /** How many phrases were usable (a one-character Chinese phrase or an empty one is skipped). */
  readonly size: number;

  /** `minHanLength` keeps single characters out by default: 气 alone would match 天气. */
  constructor(entries: Iterable<TermEntry<T>>, minHanLength = 2) {
    this.size = this.addAll(entries, minHanLength);
  }

  static restore<T>(s: TermSetSnapshot<T>): TermSet<T> {
    const han = new Map<string, HanEntry<T>[]>();
    const latin = new Map<string, LatinEntry<T>[]>();
    for (const e of s.han) pushTo(han, e.term[0] as string, e);
    for (const e of s.latin) pushTo(latin, e.stems[0] as string, e);
    return Object.assign(Object.create(TermSet.prototype) as TermSet<T>, { han, latin, size: s.size });
  }

  snapshot(): TermSetSnapshot<T> {
    return { han: [...this.han.values()].flat(), latin: [...this.latin.values()].flat(), size: this.size };
  }

  private addAll(entries: Iterable<TermEntry<T>>, minHanLength: number): number {
    let size = 0;
    for (const e of entries) if (this.add(e, minHanLength)) size++;
    for (const list of this.han.values()) list.sort((a, b) => b.term.length - a.term.length);
    for (const list of this.latin.values()) list.sort((a, b) => b.stems.length - a.stems.length);
    return size;
  }

  private add({ phrase, value }: TermEntry<T>, minHanLength: number): boolean {
    const text = normalize(phrase);
    if (text === '') return false;
    const compact = text.replace(/ /g, '');
    if (HAN_TERM.test(compact)) {
      if (compact.length < minHanLength) return false;
      pushTo(this.han, compact[0] as string, { term: compact, value });
      return true;
    }
    const stems = tokenize(text).map((t) => t.term);
    if (stems.length === 0) return false;
    pushTo(this.latin, stems[0] as string, { stems, value, phrase: text });
    return true;
  }

  /** Non-overlapping hits in order of appearance: Chinese ones first, then English ones. */
  find(normalized: string, tokens: readonly Token[]): TermHit<T>[] {
    return [...this.findHan(normalized), ...this.findLatin(tokens)];
  }

  private findHan(text: string): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    if (this.han.size === 0) return hits;
    for (let i = 0; i < text.length; ) {
      const entry = this.han.get(text[i] as string)?.find((e) => text.startsWith(e.term, i));
      if (!entry) {
        i++;
        continue;
      }
      hits.push({ value: entry.value, phrase: entry.term, script: 'han', start: i, end: i + entry.term.length });
      i += entry.term.length;
    }
    return hits;
  }

  private findLatin(tokens: readonly Token[]): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    if (this.latin.size === 0) return hits;
    for (let i = 0; i < tokens.length; ) {
      const entry = this.latin.get((tokens[i] as Token).term)?.find((e) => e.stems.every((s, k) => tokens[i + k]?.term === s));
      if (!entry) {
        i++;
        continue;
      }
      hits.push({ value: entry.value, phrase: entry.phrase, script: 'latin', start: i, end: i + entry.stems.length });
      i += entry.stems.length;
    }
    return hits;
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
