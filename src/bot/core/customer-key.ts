/**
 * How staff name a customer whose data is to be exported or forgotten: a
 * conversation (session) id, the id the shop's site verified them by, a
 * phone number, or an e-mail address. The key is checked once into a typed
 * value, and matched against every string a conversation holds the way the
 * masking rules read text (mask-view.ts): full-width １３９, ＠ and other
 * scripts' digits folded, and a phone found through the spaces, dashes,
 * dots and brackets people type inside one (139 1234 5678, (139)1234-5678).
 * Chinese numerals (一三九…) are not read as a phone here. Pure.
 */
import { foldedView } from './mask-view.js';

export type CustomerKey =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'phone'; readonly digits: string }
  | { readonly kind: 'email'; readonly address: string };

export class CustomerKeyError extends Error {
  readonly code = 'CUSTOMER_KEY_INVALID';
}

/** Longer than any id, phone or address (RFC 5321 caps an address at 254). */
export const MAX_KEY_LENGTH = 254;
const ID = /^[A-Za-z0-9_.:@-]{1,128}$/;
const EMAIL = /^[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const PHONE_SEPARATORS = /[\s\-.()/]/g;
/** A phone inside text: digits, with separators between them. */
const DIGIT_RUN = /\d(?:[\s\-.()/]*\d)*/g;
/** 0086 and a 15-digit number: no stretch longer than this is one phone. */
const MAX_PHONE_WITH_PREFIX = 19;

/**
 * The key staff typed, or CUSTOMER_KEY_INVALID naming what is wrong (never repeating the key: it may be personal data).
 *
 * @example parseCustomerKey('＋86 139-1234-5678') // { kind: 'phone', digits: '13912345678' }
 */
export function parseCustomerKey(raw: string): CustomerKey {
  if (raw.length > MAX_KEY_LENGTH) throw new CustomerKeyError(`the customer key is ${raw.length} characters long; an id, phone number or e-mail address has at most ${MAX_KEY_LENGTH}`);
  const text = foldedView(raw).text.trim();
  if (text === '') throw new CustomerKeyError('the customer key is empty: give a conversation id, a customer id, a phone number or an e-mail address');
  if (/\p{Cc}/u.test(text)) throw new CustomerKeyError('the customer key holds control characters');
  if (text.includes('@')) {
    if (EMAIL.test(text.toLowerCase())) return { kind: 'email', address: text.toLowerCase() };
    if (ID.test(text)) return { kind: 'id', id: text };
    throw new CustomerKeyError('the customer key has an @ but is not an e-mail address');
  }
  const digits = text.replace(PHONE_SEPARATORS, '').replace(/^\+/, '');
  // A short number is an id (a shop's customer number); seven digits or more, a phone (its owner's id is matched too).
  if (/^\d{7,}$/.test(digits)) return phone(digits);
  if (ID.test(text)) return { kind: 'id', id: text };
  throw new CustomerKeyError('the customer key is not a conversation or customer id (letters, digits, _ . : @ -), a phone number or an e-mail address');
}

/** At most 15 digits (E.164's most); a mainland number's +86 / 0086 is dropped, since customers rarely type it. */
function phone(digits: string): CustomerKey {
  const national = /^(?:0086|86)(1\d{10})$/.exec(digits)?.[1] ?? digits;
  if (national.length > 15) throw new CustomerKeyError(`a phone number has at most 15 digits, not ${national.length}`);
  return { kind: 'phone', digits: national };
}

/**
 * Whether one string a conversation holds names the customer by a phone number or e-mail address: the whole
 * address (ann@shop.com is not in joann@shop.com or ann@shop.community), or the whole number as a stretch of
 * whole digit groups (13912345678 is not inside the order number 2024113912345678001), maybe after +86 / 0086.
 * Forgetting cannot be undone: a near match must never take a stranger's conversation.
 */
export function textNames(key: CustomerKey, text: string): boolean {
  switch (key.kind) {
    case 'id':
      return false;
    case 'email':
      return wholeAddress(key.address).test(foldedView(text).text.toLowerCase());
    case 'phone':
      return [...foldedView(text).text.matchAll(DIGIT_RUN)].some((m) => groupStretches(m[0]).some((digits) => samePhone(digits, key.digits)));
  }
}

function wholeAddress(address: string): RegExp {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![a-z0-9._%+-])${escaped}(?![a-z0-9-]|\\.[a-z0-9])`);
}

/** The digits of every stretch of whole groups in a run, up to a phone's length ("139 1234 5678" → 139, 1391234, 13912345678, 1234, …). */
function groupStretches(run: string): string[] {
  const groups = run.split(PHONE_SEPARATORS).filter((g) => g !== '');
  const out: string[] = [];
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && digits.length <= MAX_PHONE_WITH_PREFIX; j++) out.push((digits += groups[j]));
  }
  return out;
}

function samePhone(digits: string, key: string): boolean {
  return digits === key || digits === `86${key}` || digits === `0086${key}`;
}

/** Every string in a JSON value (an event), keys aside. */
export function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) yield* stringsIn(v);
}
