/**
 * Shared CJK splitting for the benchmark peers. Libraries built for
 * space-separated languages see a whole Chinese sentence as one token, so
 * the peers turn every Han / kana character into its own token (the
 * unigram approach a developer without a segmenter would take).
 */

const CJK_GLOBAL = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
/** A single CJK character, or a run of other letters/digits. */
const PIECE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/** Splits on anything that is not a letter or digit, then each CJK character becomes a token. */
export function splitCjk(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    if (word !== '') out.push(...(word.match(PIECE) ?? []));
  }
  return out;
}

/** The CJK characters of `text` (in order), and `text` with them blanked out. */
export function separateCjk(text: string): { chars: string[]; rest: string } {
  return { chars: text.match(CJK_GLOBAL) ?? [], rest: text.replace(CJK_GLOBAL, ' ') };
}
