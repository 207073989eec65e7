/**
 * Reads tone.yaml: forbidden (cold, curt, buck-passing, …) phrases with
 * polite rewrites, the 你/您 rule, and the markers of a greeting and of an
 * apology that checkTone looks for.
 */
import { ID_PATTERN, TONE_KINDS, type Lang, type ToneKind, type ToneRule, type ToneStandard } from './types.js';
import { checkKeys, describe, isRecord, readString, readStringList } from './validate.js';
import type { YamlFile } from './yaml-file.js';

const RULE_KEYS = ['id', 'lang', 'kind', 'phrases', 'except', 'rewrite'];

export function readTone(f: YamlFile): ToneStandard {
  const root = isRecord(f.value) ? f.value : {};
  if (!isRecord(f.value)) f.problem([], 'must be a mapping with forbidden, pronoun, greetings and apologies');
  checkKeys(f, root, [], ['forbidden', 'pronoun', 'greetings', 'apologies']);
  const list = root['forbidden'];
  if (!Array.isArray(list)) f.problem(['forbidden'], 'is required: a list of rules with id, lang, kind, phrases and rewrite');
  const forbidden = Array.isArray(list) ? list.flatMap((v, i) => readRule(f, v, i) ?? []) : [];
  const seen = new Set<string>();
  forbidden.forEach((r, i) => {
    if (seen.has(r.id)) f.problem(['forbidden', i, 'id'], `duplicate rule id "${r.id}"`);
    seen.add(r.id);
  });
  const p = isRecord(root['pronoun']) ? root['pronoun'] : {};
  if (!isRecord(root['pronoun'])) f.problem(['pronoun'], 'is required: a mapping with informal, formal and except');
  checkKeys(f, p, ['pronoun'], ['informal', 'formal', 'except']);
  return {
    forbidden,
    pronoun: {
      informal: readString(f, p['informal'], ['pronoun', 'informal'], { required: true, max: 4 }) ?? '你',
      formal: readString(f, p['formal'], ['pronoun', 'formal'], { required: true, max: 4 }) ?? '您',
      except: readStringList(f, p['except'], ['pronoun', 'except'], 20),
    },
    greetings: readMarkers(f, root, 'greetings'),
    apologies: readMarkers(f, root, 'apologies'),
  };
}

function readRule(f: YamlFile, v: unknown, i: number): ToneRule | undefined {
  const at = ['forbidden', i];
  if (!isRecord(v)) {
    f.problem(at, 'must be a mapping with id, lang, kind, phrases and rewrite');
    return undefined;
  }
  checkKeys(f, v, at, RULE_KEYS);
  const id = readString(f, v['id'], [...at, 'id'], { required: true, max: 80 });
  if (id !== undefined && !ID_PATTERN.test(id)) f.problem([...at, 'id'], 'must be an id: letters, digits, - . _');
  const lang = v['lang'];
  if (lang !== 'zh' && lang !== 'en') f.problem([...at, 'lang'], `must be zh or en, not ${describe(lang)}`);
  const kind = v['kind'];
  if (!(TONE_KINDS as readonly unknown[]).includes(kind)) f.problem([...at, 'kind'], `must be one of ${TONE_KINDS.join(', ')}, not ${describe(kind)}`);
  const phrases = readStringList(f, v['phrases'], [...at, 'phrases'], 100);
  if (phrases.length === 0) f.problem([...at, 'phrases'], 'needs at least one phrase');
  const except = readStringList(f, v['except'], [...at, 'except'], 100);
  const rewrite = readString(f, v['rewrite'], [...at, 'rewrite'], { required: true, max: 500 });
  if (!id || !rewrite || phrases.length === 0 || (lang !== 'zh' && lang !== 'en') || !(TONE_KINDS as readonly unknown[]).includes(kind)) return undefined;
  return { id, lang, kind: kind as ToneKind, phrases, except, rewrite };
}

function readMarkers(f: YamlFile, root: Record<string, unknown>, key: 'greetings' | 'apologies'): Record<Lang, string[]> {
  const v = root[key];
  if (!isRecord(v)) {
    f.problem([key], 'is required: a mapping with zh and en lists');
    return { zh: [], en: [] };
  }
  checkKeys(f, v, [key], ['zh', 'en']);
  return { zh: readStringList(f, v['zh'], [key, 'zh'], 40), en: readStringList(f, v['en'], [key, 'en'], 40) };
}
