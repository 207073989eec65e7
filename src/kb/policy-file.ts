/**
 * Reads policy.yaml: when a conversation goes to a person — the emotion
 * level, how many misses in a row, what counts as frustration or a
 * multi-question message — and the risk topics that always do.
 */
import { EMOTION_LEVELS, RISK_KINDS, type PolicySettings, type RiskKind, type RiskTopic } from './types.js';
import { checkKeys, describe, isRecord, readStringList } from './validate.js';
import type { Path, YamlFile } from './yaml-file.js';

const HANDOFF_KEYS = ['emotionLevel', 'consecutiveMisses', 'repeatedQuestion', 'risingTurns', 'multiQuestion'];

export function readPolicy(f: YamlFile): PolicySettings {
  const root = isRecord(f.value) ? f.value : {};
  if (!isRecord(f.value)) f.problem([], 'must be a mapping with handoff and risks');
  checkKeys(f, root, [], ['handoff', 'risks']);
  const h = isRecord(root['handoff']) ? root['handoff'] : {};
  if (!isRecord(root['handoff'])) f.problem(['handoff'], `is required: a mapping with ${HANDOFF_KEYS.join(', ')}`);
  checkKeys(f, h, ['handoff'], HANDOFF_KEYS);
  const mq = isRecord(h['multiQuestion']) ? h['multiQuestion'] : {};
  if (!isRecord(h['multiQuestion'])) f.problem(['handoff', 'multiQuestion'], 'is required: a mapping with questions and minChars');
  checkKeys(f, mq, ['handoff', 'multiQuestion'], ['questions', 'minChars']);
  return {
    emotionLevel: readLevel(f, h['emotionLevel']),
    consecutiveMisses: count(f, h['consecutiveMisses'], ['handoff', 'consecutiveMisses'], 1, 20),
    repeatedQuestion: count(f, h['repeatedQuestion'], ['handoff', 'repeatedQuestion'], 2, 20),
    risingTurns: count(f, h['risingTurns'], ['handoff', 'risingTurns'], 2, 20),
    multiQuestion: {
      questions: count(f, mq['questions'], ['handoff', 'multiQuestion', 'questions'], 2, 50),
      minChars: count(f, mq['minChars'], ['handoff', 'multiQuestion', 'minChars'], 1, 10_000),
    },
    ...readRisks(f, root['risks']),
  };
}

function readLevel(f: YamlFile, v: unknown): PolicySettings['emotionLevel'] {
  const levels = EMOTION_LEVELS.filter((l) => l !== 'calm');
  if (typeof v === 'string' && (levels as readonly string[]).includes(v)) return v as PolicySettings['emotionLevel'];
  f.problem(['handoff', 'emotionLevel'], `must be one of ${levels.join(', ')}, not ${describe(v)}`);
  return 'angry';
}

function count(f: YamlFile, v: unknown, at: Path, min: number, max: number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  f.problem(at, `must be a whole number from ${min} to ${max}, not ${describe(v)}`);
  return min;
}

function readRisks(f: YamlFile, v: unknown): Pick<PolicySettings, 'risks' | 'ordinary'> {
  const risks = Object.fromEntries(RISK_KINDS.map((k): [RiskKind, RiskTopic] => [k, { phrases: [], examples: [] }])) as Record<RiskKind, RiskTopic>;
  if (!isRecord(v)) {
    f.problem(['risks'], `is required: a mapping of ${RISK_KINDS.join(', ')} → {zh, en, examples}`);
    return { risks, ordinary: [] };
  }
  checkKeys(f, v, ['risks'], [...RISK_KINDS, 'ordinary']);
  for (const kind of RISK_KINDS) {
    const r = v[kind];
    if (!isRecord(r)) {
      f.problem(['risks', kind], 'is required: a mapping with zh and en phrase lists (and optional examples)');
      continue;
    }
    checkKeys(f, r, ['risks', kind], ['zh', 'en', 'examples']);
    risks[kind] = {
      phrases: [...readStringList(f, r['zh'], ['risks', kind, 'zh'], 100), ...readStringList(f, r['en'], ['risks', kind, 'en'], 100)],
      examples: readStringList(f, r['examples'], ['risks', kind, 'examples'], 500),
    };
  }
  const ordinary = isRecord(v['ordinary']) ? v['ordinary'] : {};
  if (v['ordinary'] !== undefined && !isRecord(v['ordinary'])) f.problem(['risks', 'ordinary'], 'must be a mapping with examples');
  checkKeys(f, ordinary, ['risks', 'ordinary'], ['examples']);
  return { risks, ordinary: readStringList(f, ordinary['examples'], ['risks', 'ordinary', 'examples'], 500) };
}
