/**
 * Reads phrasing.yaml: reply templates keyed by name, each in both
 * languages. Placeholders are checked against the values the decision core
 * can fill, so a typo such as {wiat} is refused with its line instead of
 * reaching a customer. The shop's own words ({shop}, {hotline}, {email}) are
 * filled from shop.yaml when the KB loads (shop-phrasing.ts).
 */
import type { Localized } from './types.js';
import { checkKeys, isRecord, readString } from './validate.js';
import type { YamlFile } from './yaml-file.js';

/** Filled from shop.yaml when the KB loads: {shop} always, {hotline} and {email} when the shop lists them. */
export const SHOP_PLACEHOLDERS = ['shop', 'hotline', 'email'] as const;
export type ShopPlaceholder = (typeof SHOP_PLACEHOLDERS)[number];

export const PLACEHOLDERS = ['title', 'wait', 'resolution', 'team', 'agent', 'position', 'summary', 'callback', 'hours', 'ticket', 'answer', 'n', 'rating', 'followup', 'surname', 'messages', 'address', 'zone', ...SHOP_PLACEHOLDERS] as const;

/** Templates whose name ends in this are used when the customer's name is known, and only they may use {title}. */
export const NAMED_SUFFIX = '.named';
const NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

export function readPhrasing(f: YamlFile): Record<string, Localized> {
  const root = f.value;
  if (!isRecord(root) || !isRecord(root['phrases'])) {
    f.problem([], 'must be a mapping with `phrases`: name → {zh, en}');
    return {};
  }
  checkKeys(f, root, [], ['phrases']);
  const out: Record<string, Localized> = {};
  for (const [name, v] of Object.entries(root['phrases'])) {
    const text = readTemplate(f, name, v);
    if (text) out[name] = text;
  }
  return out;
}

function readTemplate(f: YamlFile, name: string, v: unknown): Localized | undefined {
  const at = ['phrases', name];
  if (!NAME_PATTERN.test(name)) f.problem(at, 'a phrase name is lowercase words joined by dots, e.g. handoff.requested');
  if (!isRecord(v)) {
    f.problem(at, 'must have both zh and en');
    return undefined;
  }
  checkKeys(f, v, at, ['zh', 'en']);
  const zh = readString(f, v['zh'], [...at, 'zh'], { required: true, max: 2000 });
  const en = readString(f, v['en'], [...at, 'en'], { required: true, max: 2000 });
  for (const [lang, text] of [['zh', zh], ['en', en]] as const) if (text) checkPlaceholders(f, name, lang, text);
  return zh && en ? { zh, en } : undefined;
}

function checkPlaceholders(f: YamlFile, name: string, lang: string, text: string): void {
  for (const m of text.matchAll(/\{([^{}]*)\}/g)) {
    const key = m[1] as string;
    if (!(PLACEHOLDERS as readonly string[]).includes(key)) {
      f.problem(['phrases', name, lang], `unknown placeholder {${key}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
    } else if (key === 'title' && !name.endsWith(NAMED_SUFFIX)) {
      f.problem(['phrases', name, lang], `{title} is only for templates named *${NAMED_SUFFIX} (used when the customer's name is known)`);
    }
  }
}
