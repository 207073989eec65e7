/**
 * One message, analyzed once: normalized text, tokens and lexicon concepts.
 * Everything downstream (features, explanations, language) reads this.
 */
import { normalize } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';
import type { ConceptHit, Lexicon } from './lexicon.js';

export type Lang = 'zh' | 'en';

export interface Analysis {
  readonly normalized: string;
  readonly tokens: readonly Token[];
  readonly concepts: readonly ConceptHit[];
  readonly lang: Lang;
  /** Whether each token (same index) is a function word. */
  readonly stop: readonly boolean[];
}

const HAN_CHAR = /\p{Script=Han}/gu;
const LATIN_CHAR = /[a-z]/gi;

/**
 * The language to reply in: Chinese when the message has any real share of
 * Chinese characters (a Chinese sentence with an English product name is
 * still Chinese), English otherwise.
 */
export function detectLang(text: string): Lang {
  const han = text.match(HAN_CHAR)?.length ?? 0;
  const latin = text.match(LATIN_CHAR)?.length ?? 0;
  return han > 0 && han * 3 >= latin ? 'zh' : han >= 4 ? 'zh' : 'en';
}

export function analyze(raw: string, lexicon: Lexicon): Analysis {
  const normalized = normalize(raw);
  const tokens = tokenize(normalized);
  return { normalized, tokens, concepts: lexicon.find(normalized, tokens), lang: detectLang(normalized), stop: tokens.map((t) => lexicon.isStopword(t.term)) };
}
