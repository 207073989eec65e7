/**
 * Masks personal data wherever staff or logs see a customer's words: phone
 * numbers, ID-card numbers, bank cards, e-mail addresses and street
 * addresses. Order numbers stay readable (an agent needs them), so an
 * unbroken digit run is masked as a card only when it passes the Luhn check
 * (one typed in groups, 6222 0202 …, always is).
 *
 * @example maskPii('手机13812345678，邮箱zhang.wei@example.com') // '手机138****5678，邮箱z***@example.com'
 */

/** Anchored at the start of a run of address characters, so a long run is scanned once, not once per character. */
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
/** Mainland ID card: 17 digits and a check character (validated, so an 18-digit order number stays). */
const ID_CARD = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
/** Card-like digit runs (13–19 digits, spaces or dashes allowed between groups). */
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/** Mainland mobile, optionally +86. */
const MOBILE = /(?<!\d)((?:\+?86[ -]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)/g;
/** Other phone numbers: +country code, or a trunk-0 area code (021-62345678). */
const PHONE = /(?<![\d*][ -]?)(?:\+\d{1,3}[ -]?\d{1,4}|\(?0\d{1,3}\)?)[ -]?\d{3,4}[ -]?(\d{4})(?![\d*])/g;
const ZH_ADDRESS = /([\p{Script=Han}]{1,12}(?:路|街|道|巷|弄|村|镇|大道))[\d一二三四五六七八九十]+(?:号|號)(?:[\d\p{Script=Han}]{0,12}(?:栋|幢|座|楼|單元|单元|室|房))*/gu;
const EN_ADDRESS = /\b\d{1,6}[A-Za-z]?\s+((?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl))\b\.?(?:,?\s*(?:Apt|Unit|Flat|Suite)\s*\w+)?/g;

export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (_, first: string, domain: string) => `${first}***@${domain}`)
    .replace(ID_CARD, (id) => (idCardValid(id) ? `${id.slice(0, 6)}********${id.slice(-4)}` : id))
    .replace(MOBILE, (_, head: string, tail: string) => `${head}****${tail}`)
    .replace(CARD, (run) => (/[ -]/.test(run) || luhn(run) ? `**** ${run.replace(/\D/g, '').slice(-4)}` : run))
    .replace(PHONE, (_, tail: string) => `****${tail}`)
    .replace(ZH_ADDRESS, (_, road: string) => `${road}****`)
    .replace(EN_ADDRESS, (_, road: string) => `**** ${road}`);
}

/** GB 11643 check character (ISO 7064 MOD 11-2). */
function idCardValid(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17]?.toUpperCase();
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
