/**
 * What a free-text answer to a yes/no question means: yes, no, "skip", or
 * not clear. Dialog steps ask "is this right?" or "may we have your phone
 * number?"; customers answer in their own words ("不对，我是要退款", "nope",
 * "我不想留", "唔係呀"), not only with the buttons, and a refusal must never be
 * kept as if it were the data asked for.
 *
 * A reply means a phrase's meaning when, compared without punctuation, case
 * or spaces and with Traditional and written Cantonese folded to Simplified
 * Mandarin, it is that phrase or begins with it followed by more words (a
 * one-character Chinese phrase must stand alone). The longest phrase that
 * fits wins. Before comparing, words that do not change the answer are set
 * aside: a leading filler ("uh", "actually", "嗯，", "其实"), a leading
 * 我/你/我们/你们, and sentence-final particles (是啊, 對喔, 唔係呀). A Chinese
 * clause that goes on past the phrase into a question (可以退款吗) asks
 * something rather than answering.
 *
 * @example understandReply('不對，我是要退款', words) // 'no'
 */
import { foldChinese } from './normalize.js';

export type ReplyMeaning = 'yes' | 'no' | 'skip';
export type ReplyWords = Readonly<Record<ReplyMeaning, readonly string[]>> & {
  /** Words before an answer that do not change it ("uh", "actually", 嗯, 其实). */
  readonly fillers?: readonly string[];
  /** Chinese sentence-final particles that do not change an answer (啊, 呀, 喔, 啦). */
  readonly particles?: readonly string[];
};

/** Replies longer than this are an answer in their own right, not a yes or a no. */
const MAX_REPLY_CHARS = 200;
const MEANINGS: readonly ReplyMeaning[] = ['yes', 'no', 'skip'];

export function understandReply(text: string, words: ReplyWords): ReplyMeaning | null {
  if (text.length > MAX_REPLY_CHARS) return null;
  const typed = tokens(text, words);
  if (typed.length === 0) return null;
  // As typed, and without leading fillers: "uh huh" is a phrase of its own, "uh, no" is a no.
  const readings = [withoutPronoun(typed), withoutPronoun(withoutFillers(typed, words))];
  let best: { meaning: ReplyMeaning; length: number } | null = null;
  for (const meaning of MEANINGS) {
    for (const phrase of words[meaning]) {
      const p = withoutPronoun(tokens(phrase));
      const length = Math.max(...readings.map((r) => fits(r, p)));
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
function tokens(text: string, words?: ReplyWords): string[] {
  const parts = fold(text)
    .split(/[^\p{L}\p{N}'/]+/u)
    .filter((t) => t !== '');
  // A reply's particles come off; a phrase is compared as written (对呀 also fits 對呀對呀).
  return words ? parts.map((t) => withoutParticles(t, words.particles ?? [])) : parts;
}

/** 我不想留, 你理解错了, 你们搞错了: a Chinese clause's leading pronoun does not change what it answers. */
function withoutPronoun(parts: readonly string[]): string[] {
  return parts.map((t, i) => (i === 0 ? t.replace(LEADING_PRONOUN, '') : t));
}

function fold(text: string): string {
  return foldChinese(text.normalize('NFKC').toLowerCase()).replace(/[’‘`´]/g, "'");
}

/** 我, 你, 您, 我们 or 你们 before at least two more Chinese characters. */
const LEADING_PRONOUN = /^(?:我们|你们|[我你您])(?=\p{Script=Han}{2})/u;
/** A Chinese clause ending in a question particle asks rather than answers. */
const QUESTION_END = /(?:吗|(?<![这那怎什多])么)$/u;

/** 是啊 → 是, 不系呀 → 不系: sentence-final particles come off a Chinese clause, which keeps at least one character. */
function withoutParticles(part: string, particles: readonly string[]): string {
  if (!isHan(part)) return part;
  let out = part;
  for (let p = particles.find((x) => out.length > x.length && out.endsWith(x)); p !== undefined; p = particles.find((x) => out.length > x.length && out.endsWith(x))) {
    out = out.slice(0, -p.length);
  }
  return out;
}

/** "uh, no" → no, "嗯，不对" → 不对, "其实不是" → 不是: leading fillers come off while something follows them. */
function withoutFillers(parts: readonly string[], words: ReplyWords): string[] {
  const fillers = (words.fillers ?? []).map(fold);
  const out = [...parts];
  for (;;) {
    const first = out[0] as string | undefined;
    if (first === undefined) return out;
    if (out.length > 1 && fillers.includes(first)) {
      out.shift();
      continue;
    }
    const prefix = isHan(first) ? fillers.find((f) => isHan(f) && first.length > f.length && first.startsWith(f)) : undefined;
    if (prefix === undefined) return out;
    out[0] = first.slice(prefix.length);
  }
}

/** The phrase's length in characters when the reply begins with it, else 0. */
function fits(reply: readonly string[], phrase: readonly string[]): number {
  if (phrase.length === 0 || phrase.length > reply.length) return 0;
  for (let i = 0; i < phrase.length; i++) {
    const r = reply[i] as string;
    const p = phrase[i] as string;
    const last = i === phrase.length - 1;
    // A Chinese clause may go on after a phrase of two or more characters (不对我是要退款), unless it goes on into
    // a question (可以退款吗); one character (不, 好) must stand alone, or 不错 would be a no; an English word must end with the phrase.
    const ok = r === p || (last && isHan(p) && p.length >= 2 && r.startsWith(p) && !QUESTION_END.test(r));
    if (!ok) return 0;
  }
  return phrase.join(' ').length;
}

function isHan(s: string): boolean {
  return /^\p{Script=Han}/u.test(s);
}
