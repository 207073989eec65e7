/**
 * How to address a customer: by surname and title when both are known
 * (张先生, Ms Chen — the templates address.mr / address.ms in the phrasing
 * library), by the name as given when it already carries a title or no
 * title is known, and not by name at all when there is none.
 */
import { phrase, type PhrasingLibrary } from './phrasing.js';
import type { Lang } from '../../kb/types.js';

export type Title = 'mr' | 'ms';

export interface Customer {
  readonly name?: string;
  readonly title?: Title;
}

export const MAX_NAME_LENGTH = 40;
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '端木', '歐陽', '諸葛', '東方', '長孫'];
const HAS_TITLE = /(先生|女士|小姐|太太|老师|老師)$|^(mr|ms|mrs|miss|dr|prof)\.?\s/i;

/** The form of address for the customer, or undefined when no usable name is known. */
export function addressOf(library: PhrasingLibrary, customer: Customer, lang: Lang): string | undefined {
  const name = cleanName(customer.name);
  if (!name) return undefined;
  if (HAS_TITLE.test(name) || !customer.title) return name;
  return phrase(library, `address.${customer.title}`, lang, { surname: surnameOf(name) });
}

/** A display name with control characters, markup brackets and extra spaces removed, capped in length. */
export function cleanName(raw: string | undefined): string | undefined {
  const name = (raw ?? '').replace(/[\p{Cc}\p{Cf}<>{}]/gu, '').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return name === '' ? undefined : name;
}

function surnameOf(name: string): string {
  if (/^\p{Script=Han}+$/u.test(name)) return COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > 2) ?? (name[0] as string);
  const words = name.split(' ');
  return words[words.length - 1] as string;
}
