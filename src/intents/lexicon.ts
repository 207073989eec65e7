/**
 * Concept lexicon: groups of phrases that mean the same thing to a shop
 * (发货/寄出/出库/ship/dispatch). The built-in customer-service lexicon and a
 * KB's own synonyms are merged into one Lexicon; the matcher adds a concept
 * token wherever a phrase occurs, so paraphrases meet on shared concepts.
 *
 * Chinese phrases match as substrings of normalized text (longest first);
 * English phrases match as sequences of stemmed tokens.
 */
import { normalize } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';

export interface ConceptGroup {
  readonly id: string;
  readonly terms: readonly string[];
}

interface HanEntry {
  readonly term: string;
  readonly concept: string;
}

interface LatinEntry {
  readonly stems: readonly string[];
  readonly concept: string;
  readonly phrase: string;
}

export interface ConceptHit {
  readonly concept: string;
  /** The phrase that triggered it, for "why" explanations. */
  readonly phrase: string;
}

const HAN_TERM = /^\p{Script=Han}+$/u;

export class Lexicon {
  private readonly han = new Map<string, HanEntry[]>();
  private readonly latin = new Map<string, LatinEntry[]>();
  readonly size: number;
  private readonly stop: ReadonlySet<string>;

  /** `stopwords` are function words (Chinese words or English words, stemmed here) that carry little weight. */
  constructor(groups: readonly ConceptGroup[], stopwords: readonly string[] = []) {
    this.stop = new Set(stopwords.flatMap((w) => tokenize(normalize(w)).map((t) => t.term)));
    let size = 0;
    for (const group of groups) {
      for (const raw of group.terms) {
        if (this.add(group.id, raw)) size++;
      }
    }
    for (const list of this.han.values()) list.sort((a, b) => b.term.length - a.term.length);
    for (const list of this.latin.values()) list.sort((a, b) => b.stems.length - a.stems.length);
    this.size = size;
  }

  private add(concept: string, raw: string): boolean {
    const text = normalize(raw);
    if (text === '') return false;
    const compact = text.replace(/ /g, '');
    if (HAN_TERM.test(compact)) {
      if (compact.length < 2) return false;
      pushTo(this.han, compact[0] as string, { term: compact, concept });
      return true;
    }
    const stems = tokenize(text).map((t) => t.term);
    if (stems.length === 0) return false;
    pushTo(this.latin, stems[0] as string, { stems, concept, phrase: text });
    return true;
  }

  isStopword(term: string): boolean {
    return this.stop.has(term);
  }

  /** Concepts found in a normalized text and its tokens, in order of appearance. */
  find(normalized: string, tokens: readonly Token[]): ConceptHit[] {
    return [...this.findHan(normalized), ...this.findLatin(tokens)];
  }

  private findHan(text: string): ConceptHit[] {
    const hits: ConceptHit[] = [];
    for (let i = 0; i < text.length; ) {
      const entry = this.han.get(text[i] as string)?.find((e) => text.startsWith(e.term, i));
      if (!entry) {
        i++;
        continue;
      }
      hits.push({ concept: entry.concept, phrase: entry.term });
      i += entry.term.length;
    }
    return hits;
  }

  private findLatin(tokens: readonly Token[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    for (let i = 0; i < tokens.length; ) {
      const entry = this.latin.get((tokens[i] as Token).term)?.find((e) => e.stems.every((s, k) => tokens[i + k]?.term === s));
      if (!entry) {
        i++;
        continue;
      }
      hits.push({ concept: entry.concept, phrase: entry.phrase });
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
