/**
 * Finds the phone, ID-card and bank-card numbers in folded text (see
 * mask-view.ts), however the customer grouped them: 139.8765.1234,
 * +86-139-8765-1234, 4111.1111.1111.1111, 110105 19491231 002X, one digit
 * at a time, or in Chinese numerals (一三九…, 幺 for 1, 〇/零 for 0,
 * 壹贰叁 and 貳參陸).
 *
 * Digits joined by a few separators (. - · / brackets, spaces) form a run
 * of groups. A number is a stretch of whole groups, so a longer unbroken
 * digit string (an order number) is never cut into a phone number. Groups
 * that read as a number alone are taken first (the phone after a date
 * stays the phone), then the longest stretches of groups (a card's last
 * short group is kept with it). Groups that are plainly a date or an IP
 * address are never used. Chinese numerals are words too (一直, 两个), so a
 * run of them is read digit by digit: the phone in 一三九…四三二一一直 ends
 * where eleven digits make one.
 *
 * Order numbers stay readable: an unbroken run is a card only if it passes
 * Luhn, an ID card only with a valid check character and birth date.
 */
import { cardShaped, idCardValid, luhn, plainNumberGroups } from './mask-checks.js';

/** A stretch of the folded text and what the agent sees instead. */
export interface Masked {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const HAN_DIGITS: Readonly<Record<string, string>> = {
  〇: '0', 零: '0', '○': '0',
  一: '1', 幺: '1', 壹: '1',
  二: '2', 两: '2', 兩: '2', 贰: '2', 貳: '2', 弍: '2',
  三: '3', 叁: '3', 參: '3', 叄: '3', 弎: '3',
  四: '4', 肆: '4',
  五: '5', 伍: '5',
  六: '6', 陆: '6', 陸: '6',
  七: '7', 柒: '7',
  八: '8', 捌: '8',
  九: '9', 玖: '9',
};
/** What may stand between two groups of one number (after folding: full-width forms and U+3000 are already ASCII). */
const SEPARATORS = new Set([...' \t.-·・•∙/()‐‒–—―−。ー']);
const MAX_SEPARATORS = 3;
/** The longest number masked: a 19-digit card. */
const MAX_DIGITS = 19;
/** The shortest: an international number (+, then 8 digits). */
const MIN_DIGITS = 8;
/** The shortest in Chinese numerals: a mobile (nobody writes a landline's area code in them). */
const MIN_HAN_DIGITS = 11;
/** More Chinese numerals in a row than this is not prose, and not a number written out: it is all masked. */
const MAX_HAN_RUN = 64;

type DigitKind = 'ascii' | 'han';

interface Group {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

interface Run {
  readonly kind: DigitKind;
  readonly groups: Group[];
  /** seps[i] stands between groups i and i + 1. */
  readonly seps: string[];
}

/** What the rules need to know about a stretch of digits. */
interface Candidate {
  readonly kind: DigitKind;
  readonly digits: string;
  readonly groupLengths: readonly number[];
  /** A '+' typed right before it. */
  readonly plus: boolean;
  /** An X typed right after it (an ID card's check character), nothing glued on after that. */
  readonly checkChar: boolean;
  /** A letter glued on before it, a letter or digit after it (an ID card must stand alone). */
  readonly letterBefore: boolean;
  readonly alnumAfter: boolean;
  /** It uses a group that is a date, a decimal or an IP address. */
  readonly plain: boolean;
}

/** The numbers to mask in a folded text, as stretches of it. */
export function numberSpans(text: string): Masked[] {
  return runs(text).flatMap((run) => (run.kind === 'ascii' ? groupedNumbers(text, run) : hanNumbers(text, run)));
}

function kindOf(ch: string | undefined): DigitKind | null {
  if (ch === undefined) return null;
  if (ch >= '0' && ch <= '9') return 'ascii';
  return HAN_DIGITS[ch] === undefined ? null : 'han';
}

function digitOf(ch: string): string {
  return HAN_DIGITS[ch] ?? ch;
}

function runs(text: string): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < text.length; ) {
    const kind = kindOf(text[i]);
    if (kind === null) {
      i++;
      continue;
    }
    const run: Run = { kind, groups: [], seps: [] };
    i = readRun(text, i, run);
    out.push(run);
  }
  return out;
}

/** Reads groups into `run` from `i`; returns where the run ends. */
function readRun(text: string, i: number, run: Run): number {
  for (;;) {
    const start = i;
    let digits = '';
    for (; kindOf(text[i]) === run.kind; i++) digits += digitOf(text[i] as string);
    run.groups.push({ start, end: i, digits });
    let j = i;
    while (j - i < MAX_SEPARATORS && SEPARATORS.has(text[j] ?? '')) j++;
    if (j === i || kindOf(text[j]) !== run.kind) return i;
    run.seps.push(text.slice(i, j));
    i = j;
  }
}

/** An ASCII run, indexed so any stretch of its groups is read without copying the groups. */
interface Indexed {
  readonly text: string;
  readonly run: Run;
  /** All the run's digits; group g's are all.slice(offset[g], offset[g + 1]). */
  readonly all: string;
  readonly offset: readonly number[];
  /** How many date, decimal or IP groups come before group g. */
  readonly plainBefore: readonly number[];
}

/** ASCII digits: whole groups only; single groups first, then the longest stretches. */
function groupedNumbers(text: string, run: Run): Masked[] {
  const digits = run.groups.map((g) => g.digits);
  const plain = plainNumberGroups(digits, run.seps);
  const offset = [0];
  const plainBefore = [0];
  digits.forEach((d, g) => {
    offset.push((offset[g] ?? 0) + d.length);
    plainBefore.push((plainBefore[g] ?? 0) + (plain[g] ? 1 : 0));
  });
  const x: Indexed = { text, run, all: digits.join(''), offset, plainBefore };
  const found: Masked[] = [];
  const taken = digits.map((_, g) => {
    const m = groupMatch(x, g, g);
    if (m) found.push(m);
    return m !== null;
  });
  for (let i = 0; i < digits.length; ) {
    const m = taken[i] ? null : longestFrom(x, taken, i);
    if (m) found.push(m.masked);
    i = m ? m.next : i + 1;
  }
  return found;
}

function longestFrom(x: Indexed, taken: readonly boolean[], i: number): { masked: Masked; next: number } | null {
  const at = x.offset[i] ?? 0;
  let last = i;
  while (last + 1 < x.run.groups.length && !taken[last + 1] && (x.offset[last + 2] ?? 0) - at <= MAX_DIGITS) last++;
  for (let j = last; j > i; j--) {
    const masked = groupMatch(x, i, j);
    if (masked) return { masked, next: j + 1 };
  }
  return null;
}

function groupMatch(x: Indexed, i: number, j: number): Masked | null {
  const from = x.offset[i] ?? 0;
  const to = x.offset[j + 1] ?? 0;
  if (to - from < MIN_DIGITS || to - from > MAX_DIGITS) return null;
  const start = x.run.groups[i]?.start ?? 0;
  return spanOf(x.text, start, x.run.groups[j]?.end ?? 0, {
    kind: 'ascii',
    digits: x.all.slice(from, to),
    groupLengths: x.run.groups.slice(i, j + 1).map((g) => g.digits.length),
    plus: i === 0 && x.text[start - 1] === '+',
    plain: (x.plainBefore[j + 1] ?? 0) > (x.plainBefore[i] ?? 0),
  });
}

/**
 * Chinese numerals: any stretch of the run's digits, longest first, left
 * to right. A run longer than anyone writes in numerals is masked whole,
 * which also keeps a hostile message from costing seconds.
 */
function hanNumbers(text: string, run: Run): Masked[] {
  const all = run.groups.map((g) => g.digits).join('');
  if (all.length > MAX_HAN_RUN) return [{ start: run.groups[0]?.start ?? 0, end: run.groups[run.groups.length - 1]?.end ?? 0, text: '****' }];
  const at = run.groups.flatMap((g) => [...g.digits].map((_, k) => g.start + k));
  const found: Masked[] = [];
  for (let p = 0; p < all.length; ) {
    let masked: Masked | null = null;
    for (let len = Math.min(MAX_DIGITS, all.length - p); len >= MIN_HAN_DIGITS && !masked; len--) {
      masked = spanOf(text, at[p] ?? 0, (at[p + len - 1] ?? 0) + 1, { kind: 'han', digits: all.slice(p, p + len), groupLengths: [len], plus: false, plain: false });
      if (masked) p += len;
    }
    if (masked) found.push(masked);
    else p++;
  }
  return found;
}

/**
 * The stretch [start, end) of the text, whose digits read as `c`, masked
 * with the '+', bracket or check character that belong to it; null when no
 * rule reads it as a number to mask. What is glued on around it is read
 * here, for the ID-card rule.
 */
function spanOf(text: string, start: number, end: number, c: Omit<Candidate, 'checkChar' | 'letterBefore' | 'alnumAfter'>): Masked | null {
  const after = text.charCodeAt(end);
  const checkChar = (after === 0x58 || after === 0x78) && !isAlnum(text.charCodeAt(end + 1));
  const reading = read({ kind: c.kind, digits: c.digits, groupLengths: c.groupLengths, plus: c.plus, plain: c.plain, checkChar, letterBefore: isLetter(text.charCodeAt(start - 1)), alnumAfter: isAlnum(after) });
  if (reading === null) return null;
  const from = c.plus || text[start - 1] === '(' ? start - 1 : start;
  return { start: from, end: reading.usesCheckChar ? end + 1 : end, text: reading.text };
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isAlnum(code: number): boolean {
  return isLetter(code) || (code >= 0x30 && code <= 0x39);
}

interface Reading {
  readonly text: string;
  readonly usesCheckChar: boolean;
}

/** What the digits are, in order of how sure the rule is: ID card, mainland mobile, bank card, other phone. */
function read(c: Candidate): Reading | null {
  const id = idCard(c);
  if (id !== null || c.plain) return id;
  const masked = mobile(c) ?? card(c) ?? otherPhone(c);
  return masked === null ? null : { text: masked, usesCheckChar: false };
}

/** 18 characters standing alone, the last maybe an X typed after 17 digits, with a valid check character and birth date. */
function idCard(c: Candidate): Reading | null {
  const withCheckChar = c.digits.length === 17 && c.checkChar;
  if (c.letterBefore || !(withCheckChar || (c.digits.length === 18 && !c.alnumAfter))) return null;
  const id = withCheckChar ? `${c.digits}X` : c.digits;
  return idCardValid(id) ? { text: `${id.slice(0, 6)}********${id.slice(-4)}`, usesCheckChar: withCheckChar } : null;
}

/** A mainland mobile, maybe after 86 or 0086 (a '+' before anything else is another country's number). */
function mobile(c: Candidate): string | null {
  if (c.digits.length !== 11 && c.digits.length !== 13 && c.digits.length !== 15) return null;
  const m = /^((?:00)?86)?(1[3-9]\d{9})$/.exec(c.digits);
  if (!m?.[2] || (c.plus && !m[1])) return null;
  return `${m[1] ? '+86 ' : ''}${m[2].slice(0, 3)}****${m[2].slice(-4)}`;
}

/** 13–19 digits that pass Luhn, or ASCII digits printed in a card's groups. */
function card(c: Candidate): string | null {
  if (c.digits.length < 13) return null;
  const printedAsCard = c.kind === 'ascii' && c.groupLengths.length > 1 && cardShaped(c.groupLengths);
  return printedAsCard || luhn(c.digits) ? `**** ${c.digits.slice(-4)}` : null;
}

/** An international number (+, 8–15 digits), a landline, or a North American number written as there. */
function otherPhone(c: Candidate): string | null {
  const international = c.plus && c.digits.length >= 8 && c.digits.length <= 15;
  return international || (c.kind === 'ascii' && (landline(c) || northAmerican(c))) ? `****${c.digits.slice(-4)}` : null;
}

/**
 * (415) 555-2671, 415.555.2671: grouped 3-3-4, the area code and exchange not starting with 0 or 1. Only
 * grouped, so an unbroken ten-digit order number stays readable. (After a 1 it has eleven digits and is
 * masked as a mobile.)
 */
function northAmerican(c: Candidate): boolean {
  return c.groupLengths.join(',') === '3,3,4' && /^[2-9]\d\d[2-9]\d{6}$/.test(c.digits);
}

/** A trunk-0 number (021-62345678, (0755) 8888 6666): an area code of 2–4 digits, then groups of 3 or more. */
function landline(c: Candidate): boolean {
  if (!/^0[1-9]\d{7,10}$/.test(c.digits)) return false;
  const [area = 0, ...rest] = c.groupLengths;
  return rest.length === 0 || (area >= 2 && area <= 4 && rest.every((n) => n >= 3));
}
