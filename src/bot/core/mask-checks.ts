/**
 * The checks that tell personal numbers from the numbers an agent needs
 * (order numbers, dates, prices): an ID card's check character and birth
 * date, a bank card's Luhn digit and the way cards are grouped, and the
 * groups of digits that are plainly a date or an IP address. Pure.
 */

/** A mainland ID card (GB 11643): its check character (ISO 7064 MOD 11-2) and a real birth date in digits 7–14. */
export function idCardValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17]?.toUpperCase() && validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

export function luhn(digits: string): boolean {
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

/** How card numbers are printed: fours (the last group shorter for 13–19 digits), or 4-6-5 / 4-6-4 (Amex, Diners). */
export function cardShaped(groupLengths: readonly number[]): boolean {
  const [a, b, c, ...more] = groupLengths;
  if (a === 4 && b === 6 && (c === 5 || c === 4) && more.length === 0) return true;
  const last = groupLengths[groupLengths.length - 1] ?? 0;
  return groupLengths.length >= 3 && last >= 1 && last <= 4 && groupLengths.every((n, i) => n === 4 || i === groupLengths.length - 1);
}

/**
 * Which groups of a run of digit groups (`groups[i]` its digits, `seps[i]`
 * what stands between group i and i + 1) are a date (2026-12-06,
 * 06/12/2026, 20261206), a price or other decimal (13.99) or an IPv4
 * address: no phone or card rule may use them, so "2026-12-06 - 2026-12-08"
 * (16 digits that pass Luhn) and "13.99 12.50 8.00" stay.
 */
export function plainNumberGroups(groups: readonly string[], seps: readonly string[]): boolean[] {
  const plain = groups.map((g) => g.length === 8 && validDate(Number(g.slice(0, 4)), Number(g.slice(4, 6)), Number(g.slice(6, 8))));
  const mark = (at: number, count: number): void => {
    plain.fill(true, at, at + count);
  };
  for (let i = 0; i < groups.length; i++) {
    if (isDate(groups.slice(i, i + 3), seps.slice(i, i + 2))) mark(i, 3);
    if (isIpv4(groups.slice(i, i + 4), seps.slice(i, i + 3))) mark(i, 4);
    if (isDecimal(groups[i + 1], seps[i - 1], seps[i], seps[i + 1])) mark(i, 2);
  }
  return plain;
}

/** Year, month and day in either order (Y-M-D, D-M-Y or M-D-Y), one separator repeated. */
function isDate(parts: readonly string[], seps: readonly string[]): boolean {
  if (parts.length !== 3 || seps[0] !== seps[1]) return false;
  const [a = '', b = '', c = ''] = parts;
  const n = parts.map(Number) as [number, number, number];
  if (a.length === 4 && b.length <= 2 && c.length <= 2) return validDate(n[0], n[1], n[2]);
  if (c.length === 4 && a.length <= 2 && b.length <= 2) return validDate(n[2], n[1], n[0]) || validDate(n[2], n[0], n[1]);
  return false;
}

/** One point and one or two decimals, with no other point next to it (139.8765.1234 is not a decimal). */
function isDecimal(decimals: string | undefined, before: string | undefined, point: string | undefined, after: string | undefined): boolean {
  return point === '.' && decimals !== undefined && decimals.length <= 2 && before !== '.' && after !== '.';
}

function isIpv4(parts: readonly string[], seps: readonly string[]): boolean {
  return parts.length === 4 && seps.every((s) => s === '.') && parts.every((p) => p.length <= 3 && Number(p) <= 255);
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
