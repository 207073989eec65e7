/**
 * Text normalization shared by indexing and matching, so that both sides of a
 * comparison see the same characters: full-width → half-width (NFKC), lower
 * case, Traditional → Simplified Chinese, no emoji, zero-width characters or
 * punctuation, single spaces.
 *
 * @example normalize('請問ＡＢＣ訂單，什麼時候發貨？😊') // '请问abc订单 什么时候发货'
 */
import * as OpenCC from 'opencc-js';

/** Longest message we look at; the rest of a 100 KB paste adds cost, not meaning. */
export const MAX_MATCH_CHARS = 2000;

// Character-level Taiwan → mainland conversion. The phrase-level 'twp' table also rewrites
// words (登出 → 注销 "log out" → "close account", 程序 → 进程), which changes meaning.
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/**
 * Variant spellings OpenCC leaves alone, and common written Cantonese that
 * Hong Kong customers type, mapped to Mandarin (after Simplified folding), so
 * 點樣退貨 meets 怎么退货. Longer forms come first.
 */
const VARIANTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/甚么/g, '什么'],
  // 唔该 is "thanks" when it closes a message (好的唔该, 唔该晒) and "please" elsewhere (唔该帮我查下).
  [/唔该晒|唔该(?=[\s\p{P}]*$)/gu, '谢谢'],
  [/唔该/g, '麻烦'],
  [/乜嘢|咩嘢/g, '什么'],
  [/点样/g, '怎么'],
  [/点解/g, '为什么'],
  [/边度|边处/g, '哪里'],
  [/边个/g, '哪个'],
  [/几耐/g, '多久'],
  [/几多/g, '多少'],
  [/几时/g, '什么时候'],
  [/而家/g, '现在'],
  [/琴日/g, '昨天'],
  [/听日/g, '明天'],
  [/冇/g, '没有'],
  [/唔/g, '不'],
  [/喺/g, '在'],
  [/咗/g, '了'],
  [/嘅/g, '的'],
  [/哋/g, '们'],
  [/睇/g, '看'],
  [/嘢/g, '东西'],
  [/俾/g, '给'],
  [/佢/g, '他'],
  [/嚟/g, '来'],
  [/揾/g, '找'],
  [/攞/g, '拿'],
  [/咁/g, '这么'],
  [/𠮶/g, '那'],
  [/[㗎㖞啩啫嘛]/g, ''],
];

const ZERO_WIDTH = /[\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF\u00AD]/g;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20E3\uFE0E\uFE0F]/gu;
const CONTROL = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/gu;
/** Anything that is not a letter, mark or digit separates words; keep apostrophes inside English words. */
const SEPARATOR = /[^\p{L}\p{M}\p{N}']+/gu;
const STRAY_APOSTROPHE = /(^|\s)'+|'+(\s|$)/g;

/** Traditional → Simplified folding alone (also used when storing KB text for display-independent matching). */
export function foldChinese(text: string): string {
  let out = toSimplified(text);
  for (const [pattern, replacement] of VARIANTS) out = out.replace(pattern, replacement);
  return out;
}

/** Full normalization for matching. Never throws; any string in, a (possibly empty) string out. */
export function normalize(raw: string): string {
  const clipped = raw.length > MAX_MATCH_CHARS ? raw.slice(0, MAX_MATCH_CHARS) : raw;
  const text = clipped
    .normalize('NFKC')
    .replace(/[’‘`´]/g, "'")
    .replace(ZERO_WIDTH, '')
    .replace(EMOJI, ' ')
    .replace(CONTROL, ' ')
    .toLowerCase();
  return foldChinese(text).replace(SEPARATOR, ' ').replace(STRAY_APOSTROPHE, '$1$2').replace(/\s+/g, ' ').trim();
}
