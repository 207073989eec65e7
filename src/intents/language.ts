/**
 * The customer's language, from their own messages. The page a customer
 * chats from is only a first guess (an English speaker may shop on a
 * Chinese page); after that, the conversation is in the language the
 * customer writes, and stays there until they clearly write another.
 *
 * A message shows a language clearly when:
 *
 *   Chinese  at least two Chinese characters, and Chinese holds a real share
 *            of it (detectLang's rule: a Chinese sentence with an English
 *            product name is still Chinese). Traditional characters count as
 *            Chinese: the conversation is 'zh' either way, as everywhere else.
 *   English  the message is not Chinese by that rule, and it is a sentence:
 *            at least three English words, one of them a function word
 *            ("is", "my", "you", "can" …, stopwords.yaml) and one a content
 *            word. "where is my order", "I want a refund" and "thank you so
 *            much" are clear; "refund please", "AirPods Pro", "iPhone 15 Pro
 *            Max" (a product name: no function word) and "ok thanks" are not.
 *
 * Everything else carries no signal and never changes the language: "ok",
 * "👍", "123456", an order number (DD20261127001: a word with digits is a
 * code, not English), an e-mail address, one Chinese character, two English
 * words. Two English words are not enough on purpose: Chinese customers
 * type product and brand names, and "ok", "hi" or "thanks", all the time.
 *
 * @example followLanguage('zh', analyze('where is my order?', lexicon)) // 'en'
 * @example followLanguage('zh', analyze('DD20261127001', lexicon))      // 'zh'
 */
import type { Analysis, Lang } from './analyze.js';

const HAN_CHAR = /\p{Script=Han}/gu;
const LETTERS_ONLY = /^[a-z']+$/;

/** Fewest Chinese characters, and fewest English words, that make a message clear. */
const MIN_HAN = 2;
const MIN_WORDS = 3;

/** The language a message shows clearly, or null when it shows none (see the rules above). */
export function languageSignal(a: Analysis): Lang | null {
  const han = a.normalized.match(HAN_CHAR)?.length ?? 0;
  if (a.lang === 'zh') return han >= MIN_HAN ? 'zh' : null;
  let words = 0;
  let function_ = false;
  let content = false;
  a.tokens.forEach((t, i) => {
    if (t.script !== 'latin' || !LETTERS_ONLY.test(t.surface)) return;
    words++;
    if (a.stop[i]) function_ = true;
    else content = true;
  });
  return words >= MIN_WORDS && function_ && content ? 'en' : null;
}

/**
 * The conversation's language after this message: the one it shows clearly,
 * else the one the conversation already has, else (a single message with no
 * conversation around it) the message's own best guess.
 */
export function followLanguage(current: Lang | null, a: Analysis): Lang {
  return languageSignal(a) ?? current ?? a.lang;
}
