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
import { TermSet } from './terms.js';
import { tokenize, type Token } from './tokenize.js';

export interface ConceptGroup {
  readonly id: string;
  readonly terms: readonly string[];
}

export interface ConceptHit {
  readonly concept: string;
  /** The phrase that triggered it, for "why" explanations. */
  readonly phrase: string;
}

export class Lexicon {
  private readonly terms: TermSet<string>;
  readonly size: number;
  private readonly stop: ReadonlySet<string>;

  /** `stopwords` are function words (Chinese words or English words, stemmed here) that carry little weight. */
  constructor(groups: readonly ConceptGroup[], stopwords: readonly string[] = []) {
    this.stop = new Set(stopwords.flatMap((w) => tokenize(normalize(w)).map((t) => t.term)));
    this.terms = new TermSet(groups.flatMap((g) => g.terms.map((phrase) => ({ phrase, value: g.id }))));
    this.size = this.terms.size;
  }

  isStopword(term: string): boolean {
    return this.stop.has(term);
  }

  /** Concepts found in a normalized text and its tokens, in order of appearance. */
  find(normalized: string, tokens: readonly Token[]): ConceptHit[] {
    return this.terms.find(normalized, tokens).map((h) => ({ concept: h.value, phrase: h.phrase }));
  }
}
