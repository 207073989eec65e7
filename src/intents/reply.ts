/**
 * What a free-text answer to a yes/no question means: yes, no, "skip", or
 * not clear. Dialog steps ask "is this right?" or "may we have your phone
 * number?"; customers answer in their own words ("不对，我是要退款", "nope",
 * "我不想留"), not only with the buttons, and a refusal must never be kept
 * as if it were the data asked for.
 *
 * A reply means a phrase's meaning when, compared without punctuation, case
 * or spaces and with Traditional folded to Simplified, it is that phrase or
 * begins with it followed by more words (a one-character Chinese phrase must
 * stand alone). The longest phrase that fits wins.
 *
 * @example understandReply('不對，我是要退款', words) // 'no'
 */
import { foldChinese } from './normalize.js';

export type ReplyMeaning = 'yes' | 'no' | 'skip';
export type ReplyWords = Readonly<Record<ReplyMeaning, readonly string[]>>;

/** Replies longer than this are an answer in their own right, not a yes or a no. */
const MAX_REPLY_CHARS = 200;
const MEANINGS: readonly ReplyMeaning[] = ['yes', 'no', 'skip'];

export function understandReply(text: string, words: ReplyWords): ReplyMeaning | null {
  if (text.length > MAX_REPLY_CHARS) return null;
  const parts = tokens(text);
  if (parts.length === 0) return null;
  let best: { meaning: ReplyMeaning; length: number } | null = null;
  for (const meaning of MEANINGS) {
    for (const phrase of words[meaning]) {
      const length = fits(parts, tokens(phrase));
      if (length > (best?.length ?? 0)) best = { meaning, length };
    }
  }
  return best?.meaning ?? null;
}

/**
 * Words of a reply, compared loosely: English words apart, Chinese as one run
 * per clause. A phrase fits a reply whose first clause starts with it (a
 * Chinese phrase) or whose first words are its words (English).
 */
function tokens(text: string): string[] {
  const parts = foldChinese(text.normalize('NFKC').toLowerCase())
    .replace(/[’‘`´]/g, "'")
    .split(/[^\p{L}\p{N}'/]+/u)
    .filter((t) => t !== '');
  // 我不想留, 你理解错了: a Chinese clause's leading 我/你/您 does not change what it answers.
  return parts.map((t, i) => (i === 0 && LEADING_PRONOUN.test(t) ? t.slice(1) : t));
}

/** 我, 你 or 您 before at least two more Chinese characters. */
const LEADING_PRONOUN = /^[我你您]\p{Script=Han}{2}/u;

/** The phrase's length in characters when the reply begins with it, else 0. */
function fits(reply: readonly string[], phrase: readonly string[]): number {
  if (phrase.length === 0 || phrase.length > reply.length) return 0;
  for (let i = 0; i < phrase.length; i++) {
    const r = reply[i] as string;
    const p = phrase[i] as string;
    const last = i === phrase.length - 1;
    // A Chinese clause may go on after a phrase of two or more characters (不对我是要退款); one character
    // (不, 好) must stand alone, or 不错 would be a no; an English word must end with the phrase.
    const ok = r === p || (last && isHan(p) && p.length >= 2 && r.startsWith(p));
    if (!ok) return 0;
  }
  return phrase.join(' ').length;
}

function isHan(s: string): boolean {
  return /^\p{Script=Han}/u.test(s);
}
