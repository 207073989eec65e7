/**
 * Reply text comes from the phrasing library (knowledge-base/phrasing.yaml
 * over the built-in defaults), never from string literals in code. Templates
 * use {placeholders}; a missing value leaves the placeholder visible in tests
 * rather than silently dropping words.
 */
import type { Lang, Localized } from '../../kb/types.js';

export type PhrasingLibrary = Readonly<Record<string, Localized>>;

/** The text in the customer's language, or the other language when only that exists. */
export function pick(text: Localized, lang: Lang): string {
  return text[lang] ?? text[lang === 'zh' ? 'en' : 'zh'] ?? '';
}

export function phrase(library: PhrasingLibrary, name: string, lang: Lang, vars: Readonly<Record<string, string>> = {}): string {
  const template = library[name];
  if (!template) throw new Error(`phrasing "${name}" is not defined in the phrasing library`);
  return pick(template, lang).replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}
