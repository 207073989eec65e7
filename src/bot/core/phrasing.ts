/**
 * Reply text comes from the phrasing library (knowledge-base/phrasing.yaml
 * over the reference standard), never from string literals in code.
 * Templates use {placeholders}; a missing value leaves the placeholder
 * visible in tests rather than silently dropping words.
 */
import { NAMED_SUFFIX } from '../../kb/phrasing-file.js';
import type { Duration, DurationUnit, Lang, Localized } from '../../kb/types.js';

export type PhrasingLibrary = Readonly<Record<string, Localized>>;
export type PhraseVars = Readonly<Record<string, string>>;

const UNIT_TEMPLATES: Readonly<Record<DurationUnit, string>> = { s: 'unit.seconds', m: 'unit.minutes', h: 'unit.hours', d: 'unit.days', wd: 'unit.working_days' };

/** The text in the customer's language, or the other language when only that exists. */
export function pick(text: Localized, lang: Lang): string {
  return text[lang] ?? text[lang === 'zh' ? 'en' : 'zh'] ?? '';
}

export function phrase(library: PhrasingLibrary, name: string, lang: Lang, vars: PhraseVars = {}): string {
  const template = library[name];
  if (!template) throw new Error(`phrasing "${name}" is not defined in the phrasing library`);
  return pick(template, lang).replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/** Like phrase, but uses the `.named` variant when the customer's form of address (`vars.title`) is known and the library has one. */
export function phraseFor(library: PhrasingLibrary, name: string, lang: Lang, vars: PhraseVars): string {
  const named = `${name}${NAMED_SUFFIX}`;
  return vars['title'] !== undefined && library[named] ? phrase(library, named, lang, vars) : phrase(library, name, lang, vars);
}

/** "3 分钟", "24 hours", "1 minute": a duration in the customer's language, from the unit.* templates (`.one` for 1). */
export function formatDuration(library: PhrasingLibrary, d: Duration, lang: Lang): string {
  const name = UNIT_TEMPLATES[d.unit];
  return phrase(library, d.n === 1 && library[`${name}.one`] ? `${name}.one` : name, lang, { n: String(d.n) });
}
