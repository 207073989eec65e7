/**
 * What a request for a person is about, besides the request: the message
 * with the request's own words set aside — the ask_human cues (转人工, talk
 * to a human) and its request words, whom the customer asks for and how
 * (人工, 客服, 经理, agent; 我要, 接通, speak, want). "转人工" is about nothing,
 * so it goes to the default team; "转人工，我的快递丢了" is about a lost
 * parcel, and its team can take it.
 *
 * Something of substance must be left: an English word that is not a
 * function word, a Chinese word of two characters or more, or a lexicon
 * concept found in more than function words (叫你们经理来 leaves 来, and
 * "can I speak to your manager" leaves "can i to": neither is a topic;
 * 转人工 我要退货 leaves 退货, which the segmenter cuts into 退|货 but the
 * lexicon reads as ~return).
 *
 * @example
 *   const topic = new RequestTopic(['转人工', '人工客服', 'agent', 'please'], lexicon);
 *   topic.of(analyze('转人工，我的快递丢了', lexicon))?.normalized // '我的快递丢了'
 *   topic.of(analyze('agent please', lexicon))                    // null
 */
import { analyze, type Analysis } from './analyze.js';
import type { ConceptHit, Lexicon } from './lexicon.js';
import { TermSet } from './terms.js';
import { tokenize, type Token } from './tokenize.js';

export class RequestTopic {
  private readonly words: TermSet<true>;

  constructor(
    phrases: readonly string[],
    private readonly lexicon: Lexicon,
  ) {
    this.words = new TermSet(phrases.map((phrase) => ({ phrase, value: true as const })));
  }

  /** The message without the request's words, analyzed; null when nothing of substance is left. */
  of(analysis: Analysis): Analysis | null {
    const rest = analyze(this.without(analysis), this.lexicon);
    const word = (t: Token, i: number): boolean => !rest.stop[i] && (t.script === 'latin' || (t.script === 'han' && t.term.length >= 2));
    const concept = (c: ConceptHit): boolean => tokenize(c.phrase).some((t) => !this.lexicon.isStopword(t.term));
    return rest.tokens.some(word) || rest.concepts.some(concept) ? rest : null;
  }

  private without({ normalized, tokens }: Analysis): string {
    const removed = new Array<boolean>(normalized.length).fill(false);
    const spans = tokenSpans(normalized, tokens.map((t) => t.surface));
    for (const hit of this.words.find(normalized, tokens)) {
      // Chinese hits are character offsets; English ones are token offsets.
      const [from, to] = hit.script === 'han' ? [hit.start, hit.end] : [spans[hit.start]?.[0] ?? 0, spans[hit.end - 1]?.[1] ?? 0];
      for (let i = from; i < to; i++) removed[i] = true;
    }
    let out = '';
    for (let i = 0; i < normalized.length; i++) out += removed[i] ? ' ' : normalized[i];
    return out;
  }
}

/** Where each token stands in the normalized text, as [start, end) character offsets: tokens come in order. */
function tokenSpans(normalized: string, surfaces: readonly string[]): [number, number][] {
  let cursor = 0;
  return surfaces.map((surface) => {
    const at = normalized.indexOf(surface, cursor);
    if (at < 0) return [cursor, cursor];
    cursor = at + surface.length;
    return [at, cursor];
  });
}
