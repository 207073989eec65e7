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
import { TermSet, type TermSetSnapshot } from './terms.js';
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

/** A lexicon as read (phrases normalized and stemmed): restoring one skips reading thousands of phrases again. */
export interface LexiconSnapshot {
  readonly terms: TermSetSnapshot<string>;
  readonly stop: readonly string[];
  readonly asking: readonly string[];
  readonly englishWords: readonly string[];
  readonly askingTerms: readonly string[];
}

export class Lexicon {
  private readonly terms: TermSet<string>;
  readonly size: number;
  private readonly stop: ReadonlySet<string>;
  private readonly asking: ReadonlySet<string>;
  /** Every English word (stemmed) of the lexicon's phrases: words the spelling check knows. */
  readonly englishWords: ReadonlySet<string>;
  /** Every token of an asking concept's phrases (怎, 么, 多久, how, much …). */
  private readonly askingTerms: ReadonlySet<string>;

  /**
   * `stopwords` are function words (Chinese words or English words, stemmed
   * here) that carry little weight; `asking` the ids of concepts that only
   * ask (when, how much …), which are no evidence for an FAQ on their own.
   */
  constructor(groups: readonly ConceptGroup[], stopwords: readonly string[] = [], asking: readonly string[] = []) {
    this.stop = new Set(stopwords.flatMap((w) => tokenize(normalize(w)).map((t) => t.term)));
    this.asking = new Set(asking);
    this.englishWords = new Set(groups.flatMap((g) => g.terms.flatMap((p) => tokenize(normalize(p)).filter((t) => t.script === 'latin').map((t) => t.term))));
    this.askingTerms = new Set(groups.filter((g) => this.asking.has(g.id)).flatMap((g) => g.terms.flatMap((p) => tokenize(normalize(p)).map((t) => t.term))));
    this.terms = new TermSet(groups.flatMap((g) => g.terms.map((phrase) => ({ phrase, value: g.id }))));
    this.size = this.terms.size;
  }

  /** The lexicon a snapshot was taken of, without reading its phrases again. */
  static restore(s: LexiconSnapshot): Lexicon {
    const parts = { terms: TermSet.restore(s.terms), size: s.terms.size, stop: new Set(s.stop), asking: new Set(s.asking), englishWords: new Set(s.englishWords), askingTerms: new Set(s.askingTerms) };
    return Object.assign(Object.create(Lexicon.prototype) as Lexicon, parts);
  }

  snapshot(): LexiconSnapshot {
    return { terms: this.terms.snapshot(), stop: [...this.stop], asking: [...this.asking], englishWords: [...this.englishWords], askingTerms: [...this.askingTerms] };
  }

  isStopword(term: string): boolean {
    return this.stop.has(term);
  }

  /** An asking concept, or a word that only occurs in asking phrases: no evidence for an FAQ. */
  isAsking(conceptOrTerm: { readonly concept: string } | { readonly term: string }): boolean {
    return 'concept' in conceptOrTerm ? this.asking.has(conceptOrTerm.concept) : this.askingTerms.has(conceptOrTerm.term);
  }

  /** Concepts found in a normalized text and its tokens, in order of appearance. */
  find(normalized: string, tokens: readonly Token[]): ConceptHit[] {
    return this.terms.find(normalized, tokens).map((h) => ({ concept: h.value, phrase: h.phrase }));
  }
}
