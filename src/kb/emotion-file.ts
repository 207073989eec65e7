/**
 * Reads emotion.yaml: the lexicon behind each message's emotion score —
 * weighted terms, intensifiers, negators, insults, threats and distress
 * words, per language — emoji and emoticons, and the score at which each
 * level starts.
 */
import { THREAT_KINDS, type EmotionLexiconData, type Lang, type ThreatKind } from './types.js';
import { checkKeys, describe, isRecord, readStringList } from './validate.js';
import type { Path, YamlFile } from './yaml-file.js';

const LANGS: readonly Lang[] = ['zh', 'en'];
const LEVELS = ['upset', 'angry', 'distressed'] as const;
const SECTION_KEYS = ['terms', 'intensifiers', 'negators', 'insults', 'threats', 'distress'];

export function readEmotion(f: YamlFile): EmotionLexiconData {
  const root = isRecord(f.value) ? f.value : {};
  if (!isRecord(f.value)) f.problem([], 'must be a mapping with levels, zh and en');
  checkKeys(f, root, [], ['levels', 'emoji', ...LANGS]);
  const sections = LANGS.map((lang) => readSection(f, root[lang], [lang]));
  return {
    levels: readLevels(f, root['levels']),
    terms: sections.flatMap((s) => s.terms),
    intensifiers: sections.flatMap((s) => s.intensifiers),
    negators: sections.flatMap((s) => s.negators),
    insults: sections.flatMap((s) => s.insults),
    threats: Object.fromEntries(THREAT_KINDS.map((k) => [k, sections.flatMap((s) => s.threats[k])])) as Record<ThreatKind, string[]>,
    distress: sections.flatMap((s) => s.distress),
    emoji: readWeights(f, root['emoji'], ['emoji'], 0, 1),
  };
}

function readLevels(f: YamlFile, v: unknown): EmotionLexiconData['levels'] {
  const levels = { upset: 0.25, angry: 0.55, distressed: 0.8 };
  if (!isRecord(v)) {
    f.problem(['levels'], 'is required: the score (0–1) at which upset, angry and distressed start');
    return levels;
  }
  checkKeys(f, v, ['levels'], LEVELS);
  for (const level of LEVELS) {
    const n = v[level];
    if (typeof n === 'number' && n > 0 && n <= 1) levels[level] = n;
    else f.problem(['levels', level], `must be a number above 0 and at most 1, not ${describe(n)}`);
  }
  if (!(levels.upset < levels.angry && levels.angry < levels.distressed)) f.problem(['levels'], 'must rise: upset < angry < distressed');
  return levels;
}

interface Section {
  terms: [string, number][];
  intensifiers: [string, number][];
  negators: string[];
  insults: string[];
  threats: Record<ThreatKind, string[]>;
  distress: string[];
}

function readSection(f: YamlFile, v: unknown, at: Path): Section {
  const threats = Object.fromEntries(THREAT_KINDS.map((k) => [k, [] as string[]])) as Record<ThreatKind, string[]>;
  if (!isRecord(v)) {
    f.problem(at, `is required: a mapping with ${SECTION_KEYS.join(', ')}`);
    return { terms: [], intensifiers: [], negators: [], insults: [], threats, distress: [] };
  }
  checkKeys(f, v, at, SECTION_KEYS);
  if (isRecord(v['threats'])) {
    checkKeys(f, v['threats'], [...at, 'threats'], THREAT_KINDS);
    for (const k of THREAT_KINDS) threats[k] = readStringList(f, v['threats'][k], [...at, 'threats', k], 100);
  } else if (v['threats'] !== undefined) f.problem([...at, 'threats'], `must be a mapping of ${THREAT_KINDS.join(', ')} → phrases`);
  return {
    terms: readWeights(f, v['terms'], [...at, 'terms'], 0, 1),
    intensifiers: readWeights(f, v['intensifiers'], [...at, 'intensifiers'], 1, 3),
    negators: readStringList(f, v['negators'], [...at, 'negators'], 40),
    insults: readStringList(f, v['insults'], [...at, 'insults'], 100),
    threats,
    distress: readStringList(f, v['distress'], [...at, 'distress'], 100),
  };
}

/** phrase → number, each number within (min, max]. */
function readWeights(f: YamlFile, v: unknown, at: Path, min: number, max: number): [string, number][] {
  if (v === undefined) return [];
  if (!isRecord(v)) {
    f.problem(at, `must be a mapping of phrase → number, not ${describe(v)}`);
    return [];
  }
  return Object.entries(v).flatMap(([phrase, n]): [string, number][] => {
    if (typeof n === 'number' && n > min && n <= max && phrase.trim() !== '') return [[phrase.trim(), n]];
    f.problem([...at, phrase], `must be a number above ${min} and at most ${max}, not ${describe(n)}`);
    return [];
  });
}
