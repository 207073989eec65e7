/**
 * The text as the masking rules read it, with a way back to the text as
 * typed. Customers type digits and letters in many forms that mean the
 * same (full-width １３９ and ＠ from a Chinese IME, ①, Arabic-Indic ١٣٩,
 * an invisible zero-width space pasted from a web page); a rule written for
 * ASCII misses all of them. So each character is folded on its own (NFKC,
 * then any other script's decimal digit to its ASCII digit, invisible
 * format characters dropped), and every folded character remembers which
 * typed character it came from. The masking rules match on the folded
 * text; only what they match is replaced in the typed text, so the rest of
 * the customer's words reach the agent exactly as written, not
 * NFKC-mangled (full-width punctuation and letters stay full-width).
 *
 * Chinese numerals (一三九…) are not folded here: they are also ordinary
 * words (一直, 两个), so only the digit-run rules read them as digits.
 *
 * @example
 *   const v = foldedView('电话１３９');
 *   v.text // '电话139'
 *   originalRange(v, 2, 5) // [2, 5]: the three full-width digits
 */

export interface FoldedView {
  /** The folded text the rules match on. */
  readonly text: string;
  /** For each UTF-16 unit of `text`, where the typed character it came from starts and ends in the original. */
  readonly from: readonly number[];
  readonly to: readonly number[];
}

/** Folded forms of the non-ASCII characters met so far (most texts repeat few of them). */
const folded = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

export function foldedView(original: string): FoldedView {
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < original.length; ) {
    const width = (original.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    const out = fold(original.slice(i, i + width));
    for (let k = 0; k < out.length; k++) {
      from.push(i);
      to.push(i + width);
    }
    parts.push(out);
    i += width;
  }
  return { text: parts.join(''), from, to };
}

/** The typed text behind the folded range [start, end): whole typed characters, so a surrogate pair is never split. */
export function originalRange(view: FoldedView, start: number, end: number): [number, number] {
  return [view.from[start] ?? 0, view.to[end - 1] ?? 0];
}

function fold(ch: string): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch;
  const known = folded.get(ch);
  if (known !== undefined) return known;
  const out = /\p{Cf}/u.test(ch) ? '' : [...ch.normalize('NFKC')].map(asciiDigit).join('');
  if (folded.size < MAX_REMEMBERED) folded.set(ch, out);
  return out;
}

/**
 * Any script's decimal digit as its ASCII digit. Unicode encodes every
 * script's decimal digits as one run of ten, 0 to 9 (a stability
 * guarantee), so a digit's value is its distance from the start of its run.
 */
function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80 || !/\p{Nd}/u.test(ch)) return ch;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}
