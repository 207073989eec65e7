/**
 * Whether a word is English at all: about 275,000 words from
 * `an-array-of-english-words` (MIT), loaded on first use. The spelling
 * check corrects only words that are not English: "hiring" or "press" that
 * a shop's FAQs never use are real words and stay as they are; "shiping" and
 * "refnud" are typos.
 */
import { createRequire } from 'node:module';

let words: ReadonlySet<string> | undefined;

export function isEnglishWord(word: string): boolean {
  words ??= new Set((createRequire(import.meta.url)('an-array-of-english-words') as readonly string[]).map((w) => w.toLowerCase()));
  return words.has(word.toLowerCase());
}
