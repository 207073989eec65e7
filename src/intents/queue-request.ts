/**
 * What a customer waiting for a person asks of the bot besides an FAQ: the
 * wait ("还要等多久？", "how much longer?") or to cancel the request
 * ("不用了", "never mind"). Only read while they are queued, so "不用了"
 * means cancel there and stays a plain "no" everywhere else.
 *
 * Chinese phrases match as substrings of the message (Traditional folded to
 * Simplified), English ones as whole-word sequences; `cancelAlone` phrases
 * only as the whole message. Long messages are questions in their own right.
 */
import { foldChinese } from './normalize.js';

export type QueueRequest = 'wait_time' | 'cancel';

export interface QueueRequestWords {
  readonly waitTime: readonly string[];
  readonly cancel: readonly string[];
  readonly cancelAlone: readonly string[];
}

/** Past this many characters a message is a question of its own, not a queue request. */
const MAX_CHARS = 60;

export function understandQueueRequest(text: string, words: QueueRequestWords): QueueRequest | null {
  if (text.length > MAX_CHARS) return null;
  const plain = simplify(text);
  if (plain === '') return null;
  if (words.cancelAlone.some((p) => same(plain, simplify(p)))) return 'cancel';
  if (words.cancel.some((p) => contains(plain, simplify(p)))) return 'cancel';
  if (words.waitTime.some((p) => contains(plain, simplify(p)))) return 'wait_time';
  return null;
}

/** Lower case, Simplified, words separated by one space, no punctuation. */
function simplify(s: string): string {
  return foldChinese(s.normalize('NFKC').toLowerCase())
    .replace(/[’‘`´']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether the text is the phrase: Chinese compared without spaces (不用了，谢谢 is 不用了谢谢). */
function same(text: string, phrase: string): boolean {
  return isHan(phrase) ? text.replace(/ /g, '') === phrase.replace(/ /g, '') : text === phrase;
}

function isHan(s: string): boolean {
  return /\p{Script=Han}/u.test(s);
}

/** Whether the phrase is in the text: as a substring for Chinese, as whole words for English. */
function contains(text: string, phrase: string): boolean {
  if (phrase === '') return false;
  if (isHan(phrase)) return text.replace(/ /g, '').includes(phrase.replace(/ /g, ''));
  return ` ${text} `.includes(` ${phrase} `);
}
