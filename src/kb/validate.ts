/**
 * Small typed readers for YAML values: each returns a typed value or records a
 * problem at the field's path and returns a fallback, so one pass reports
 * every mistake in a file.
 */
import type { Localized } from './types.js';
import type { Path, YamlFile } from './yaml-file.js';

export const MAX_TEXT = 20_000;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readString(f: YamlFile, v: unknown, path: Path, opts: { required: boolean; max?: number } = { required: true }): string | undefined {
  if (v === undefined || v === null) {
    if (opts.required) f.problem(path, 'is required');
    return undefined;
  }
  if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
  if (typeof v !== 'string') {
    f.problem(path, `must be text, not ${describe(v)}`);
    return undefined;
  }
  const s = v.trim();
  if (s === '' && opts.required) {
    f.problem(path, 'must not be empty');
    return undefined;
  }
  if (s.length > (opts.max ?? MAX_TEXT)) {
    f.problem(path, `is ${s.length} characters; at most ${opts.max ?? MAX_TEXT} allowed`);
    return undefined;
  }
  return s;
}

export function readStringList(f: YamlFile, v: unknown, path: Path, max = MAX_TEXT): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    f.problem(path, `must be a list, not ${describe(v)}`);
    return [];
  }
  return v.flatMap((item, i) => readString(f, item, [...path, i], { required: true, max }) ?? []);
}

/** `{zh, en}` with at least one language; a plain string is accepted and its language detected by the caller. */
export function readLocalized(f: YamlFile, v: unknown, path: Path): Localized | undefined {
  if (!isRecord(v)) {
    f.problem(path, v === undefined ? 'is required (with zh and/or en)' : `must have zh and/or en, not ${describe(v)}`);
    return undefined;
  }
  for (const key of Object.keys(v)) if (key !== 'zh' && key !== 'en') f.problem([...path, key], 'unknown language; use zh or en');
  const zh = readString(f, v['zh'], [...path, 'zh'], { required: false });
  const en = readString(f, v['en'], [...path, 'en'], { required: false });
  if (!zh && !en) {
    f.problem(path, 'needs at least one of zh or en');
    return undefined;
  }
  return { ...(zh ? { zh } : {}), ...(en ? { en } : {}) };
}

export function checkKeys(f: YamlFile, v: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) f.problem([...path, key], `unknown field; expected one of ${allowed.join(', ')}`);
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

/**
 * A lexicon section `key: {zh: [...], en: [...]}` of a file's root, as one
 * list (zh first), each phrase at most `max` characters. A missing section is
 * a problem unless `optional`, and then it is empty.
 */
export function readZhEnLists(f: YamlFile, root: unknown, key: string, max: number, optional = false): string[] {
  const v = isRecord(root) ? root[key] : undefined;
  if (v === undefined && optional) return [];
  if (!isRecord(v)) {
    f.problem([key], 'must be a mapping with zh and en lists');
    return [];
  }
  return [...readStringList(f, v['zh'], [key, 'zh'], max), ...readStringList(f, v['en'], [key, 'en'], max)];
}
