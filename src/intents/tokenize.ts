/**
 * Splits normalized text into word tokens: Chinese words from ICU's
 * dictionary segmenter (`Intl.Segmenter`, no dependency), English words
 * stemmed, digits kept. Mixed-language messages yield both kinds in order.
 *
 * @example tokenize('我的order什么时候shipped') // ['我','的','order','什么时候','ship']
 */
import { stem } from './stem.js';

export type Script = 'han' | 'latin' | 'other';

export interface Token {
  /** The form used for matching: a Chinese word, an English stem, or a number. */
  readonly term: string;
  /** The word as written (after normalization), for explanations. */
  readonly surface: string;
  readonly script: Script;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const LATIN = /[a-z]/;

function scriptOf(word: string): Script {
  if (HAN.test(word)) return 'han';
  if (LATIN.test(word)) return 'latin';
  return 'other';
}

/** Runs of Han characters go to the dictionary segmenter; everything else is already space-separated. */
const RUN = /\p{Script=Han}+|[^\s\p{Script=Han}]+/gu;

/** Tokens of an already-normalized string (see normalize.ts). */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const run of normalized.match(RUN) ?? []) {
    if (HAN.test(run)) {
      for (const { segment, isWordLike } of segmenter.segment(run)) if (isWordLike) tokens.push({ term: segment, surface: segment, script: 'han' });
      continue;
    }
    const surface = run.replace(/'/g, '');
    if (surface === '') continue;
    const script = scriptOf(surface);
    tokens.push({ term: script === 'latin' ? stem(surface) : surface, surface: run, script });
  }
  return tokens;
}
