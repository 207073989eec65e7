/**
 * Masks personal data wherever staff, Slack or logs see a customer's words:
 * phone numbers, ID-card numbers, bank cards, e-mail addresses and street
 * addresses. Order numbers stay readable (an agent needs them), so an
 * unbroken digit run is masked as a card only when it passes the Luhn check
 * (one typed in card groups, 6222 0202 …, always is); dates, times, prices
 * and quantities stay as typed.
 *
 * The rules match on a folded copy of the text (mask-view.ts: NFKC, any
 * script's digits as ASCII, invisible characters dropped), so full-width
 * １３９…, ＠ and Arabic-Indic digits are caught; phone and card numbers are
 * read through separators and Chinese numerals (mask-numbers.ts). Only the
 * stretches a rule matched are replaced, with their folded reading
 * (１３９８７６５１２３４ → 139****1234); everything else is left exactly
 * as the customer typed it.
 *
 * @example maskPii('手机13812345678，邮箱zhang.wei@example.com') // '手机138****5678，邮箱z***@example.com'
 * @example maskPii('电话：一三九八七六五四三二一，谢谢！') // '电话：139****4321，谢谢！'
 */
import { numberSpans, type Masked } from './mask-numbers.js';
import { foldedView, originalRange } from './mask-view.js';

/** Anchored at the start of a run of address characters, so a long run is scanned once, not once per character. */
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const ZH_ADDRESS = /([\p{Script=Han}]{1,12}(?:路|街|道|巷|弄|村|镇|大道))[\d一二三四五六七八九十]+(?:号|號)(?:[\d\p{Script=Han}]{0,12}(?:栋|幢|座|楼|單元|单元|室|房))*/gu;
const EN_ADDRESS = /\b\d{1,6}[A-Za-z]?\s+((?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl))\b\.?(?:,?\s*(?:Apt|Unit|Flat|Suite)\s*\w+)?/g;

export function maskPii(text: string): string {
  const view = foldedView(text);
  // Earlier rules win where two overlap: an e-mail's digits are not also a phone number.
  const spans = disjoint([
    ...matches(view.text, EMAIL, (m) => `${m[1] ?? ''}***@${m[2] ?? ''}`),
    ...numberSpans(view.text),
    ...matches(view.text, ZH_ADDRESS, (m) => `${m[1] ?? ''}****`),
    ...matches(view.text, EN_ADDRESS, (m) => `**** ${m[1] ?? ''}`),
  ]);
  let out = '';
  let at = 0;
  for (const s of spans) {
    const [start, end] = originalRange(view, s.start, s.end);
    out += text.slice(at, start) + s.text;
    at = end;
  }
  return out + text.slice(at);
}

function matches(text: string, rule: RegExp, masked: (m: RegExpExecArray) => string): Masked[] {
  return [...text.matchAll(rule)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: masked(m) }));
}

/** The spans that do not overlap an earlier one, in text order. */
function disjoint(spans: readonly Masked[]): Masked[] {
  const used = new Uint8Array(spans.reduce((n, s) => Math.max(n, s.end), 0));
  const kept = spans.filter((s) => {
    if (s.end <= s.start || used.subarray(s.start, s.end).some((u) => u === 1)) return false;
    used.fill(1, s.start, s.end);
    return true;
  });
  return kept.sort((a, b) => a.start - b.start);
}
