/**
 * How upset a message sounds: a score in [0, 1] and a level (calm, upset,
 * angry, distressed), from the KB's emotion lexicon. Weighted terms add up,
 * an intensifier just before a term multiplies it (非常生气, so angry), a
 * negator just before cancels it (不生气, not angry); insults, threats to go
 * public, to a regulator or to court, distress words, angry or crying emoji
 * and emoticons, repeated !!/?? and SHOUTING add more. The cues found are kept so an agent sees why.
 *
 * @example
 *   const scorer = new EmotionScorer(kb.emotion);
 *   scorer.score(analysis, '你们这什么破服务！！！') // { score: 0.75, level: 'angry', cues: ['破服务', '!!!'] }
 */
import type { Analysis } from './analyze.js';
import { TermSet, type TermHit } from './terms.js';
import { THREAT_KINDS, type EmotionLevel, type EmotionLexiconData, type ThreatKind } from '../kb/types.js';

export interface Emotion {
  readonly score: number;
  readonly level: EmotionLevel;
  /** What raised the score: phrases, `!!!`, `CAPS`. */
  readonly cues: readonly string[];
  readonly threats: readonly ThreatKind[];
}

type Cue = { readonly kind: 'term'; readonly weight: number } | { readonly kind: 'insult' } | { readonly kind: 'threat'; readonly threat: ThreatKind } | { readonly kind: 'distress' };

/** What one insult, threat or distress phrase adds to the score. */
const INSULT_WEIGHT = 0.6;
const THREAT_WEIGHT = 0.5;
const DISTRESS_WEIGHT = 0.35;
/** Runs of !! or ?? and shouting in capitals. */
const PUNCTUATION_WEIGHT = 0.1;
const MAX_PUNCTUATION = 0.2;
const CAPS_WEIGHT = 0.15;
/** Each repeat of an emoji adds half its weight again, up to three in all. */
const EMOJI_REPEAT_BOOST = 0.5;
const EMOJI_REPEATS_COUNTED = 3;
/** How far before a term a modifier may stand, in Chinese characters or English words: 非常很生气, not very angry. */
const INTENSIFIER_WINDOW = { han: 2, latin: 2 } as const;
const NEGATOR_WINDOW = { han: 1, latin: 2 } as const;

/**
 * Chinese A-not-A questions (是不是, 有没有 …) hold a 不/没 that negates
 * nothing: 你们是不是装聋作哑 is not "not pretending". Matched as longer
 * non-negators, they keep their 不 from cancelling the next term.
 */
const A_NOT_A = ['是不是', '有没有', '要不要', '能不能', '会不会', '可不可以', '好不好', '对不对', '行不行', '还是不是'];

export const CALM: Emotion = { score: 0, level: 'calm', cues: [], threats: [] };

export class EmotionScorer {
  private readonly cues: TermSet<Cue>;
  private readonly intensifiers: TermSet<number>;
  private readonly negators: TermSet<boolean>;

  constructor(private readonly lexicon: EmotionLexiconData) {
    this.cues = new TermSet<Cue>([
      ...lexicon.terms.map(([phrase, weight]) => ({ phrase, value: { kind: 'term', weight } as const })),
      ...lexicon.insults.map((phrase) => ({ phrase, value: { kind: 'insult' } as const })),
      ...THREAT_KINDS.flatMap((threat) => lexicon.threats[threat].map((phrase) => ({ phrase, value: { kind: 'threat', threat } as const }))),
      ...lexicon.distress.map((phrase) => ({ phrase, value: { kind: 'distress' } as const })),
    ]);
    this.intensifiers = new TermSet(lexicon.intensifiers.map(([phrase, value]) => ({ phrase, value })), 1);
    this.negators = new TermSet([...lexicon.negators.map((phrase) => ({ phrase, value: true })), ...A_NOT_A.map((phrase) => ({ phrase, value: false }))], 1);
  }

  /** `raw` is the message as typed: punctuation and capitals are cues that normalization removes. */
  score(analysis: Analysis, raw: string): Emotion {
    const hits = this.cues.find(analysis.normalized, analysis.tokens);
    const boosts = this.intensifiers.find(analysis.normalized, analysis.tokens);
    const negations = this.negators.find(analysis.normalized, analysis.tokens).filter((n) => n.value);
    let total = 0;
    let distress = false;
    const cues: string[] = [];
    const threats = new Set<ThreatKind>();
    for (const hit of hits) {
      const v = hit.value;
      if (v.kind === 'term') {
        if (negations.some((n) => isJustBefore(n, hit, NEGATOR_WINDOW, analysis.normalized))) continue;
        const boost = boosts.filter((b) => isJustBefore(b, hit, INTENSIFIER_WINDOW, analysis.normalized)).reduce((m, b) => Math.max(m, b.value), 1);
        total += v.weight * boost;
      } else if (v.kind === 'insult') total += INSULT_WEIGHT;
      else if (v.kind === 'threat') {
        total += THREAT_WEIGHT;
        threats.add(v.threat);
      } else {
        total += DISTRESS_WEIGHT;
        distress = true;
      }
      cues.push(hit.phrase);
    }
    for (const [emoji, weight] of this.lexicon.emoji) {
      const count = occurrences(raw, emoji);
      if (count === 0) continue;
      // 😡😡😡 says more than 😡, but not three times more.
      total += weight * (1 + EMOJI_REPEAT_BOOST * (Math.min(count, EMOJI_REPEATS_COUNTED) - 1));
      cues.push(emoji);
    }
    const punctuation = Math.min(MAX_PUNCTUATION, (raw.match(/[!！?？]{2,}/g)?.length ?? 0) * PUNCTUATION_WEIGHT);
    if (punctuation > 0) cues.push('!!');
    total += punctuation;
    if (isShouting(raw)) {
      total += CAPS_WEIGHT;
      cues.push('CAPS');
    }
    if (total === 0) return CALM;
    const score = Math.min(1, Math.round(total * 1000) / 1000);
    return { score, level: this.levelOf(score, distress), cues, threats: [...threats] };
  }

  levelOf(score: number, distress = false): EmotionLevel {
    const { levels } = this.lexicon;
    if (score >= levels.distressed || (distress && score >= levels.angry)) return 'distressed';
    if (score >= levels.angry) return 'angry';
    return score >= levels.upset ? 'upset' : 'calm';
  }
}

/**
 * Whether a modifier ends within a few characters or words before a term, on
 * the same script and, in Chinese, in the same clause (punctuation became a
 * space): 还没发货，太慢了 is not a negated 太慢了.
 */
function isJustBefore(modifier: TermHit<unknown>, term: TermHit<unknown>, window: { readonly han: number; readonly latin: number }, normalized: string): boolean {
  if (modifier.script !== term.script || modifier.end > term.start) return false;
  if (term.script === 'latin') return term.start - modifier.end <= window.latin;
  return term.start - modifier.end <= window.han && !/\s/.test(normalized.slice(modifier.end, term.start));
}

function occurrences(text: string, what: string): number {
  let n = 0;
  for (let at = text.indexOf(what); at !== -1; at = text.indexOf(what, at + what.length)) n++;
  return n;
}

/** Two or more words of three or more capitals, and most letters capitals: "WHERE IS MY ORDER". */
function isShouting(raw: string): boolean {
  const words = raw.match(/\b[A-Z]{3,}\b/g) ?? [];
  const letters = raw.match(/[A-Za-z]/g)?.length ?? 0;
  const capitals = raw.match(/[A-Z]/g)?.length ?? 0;
  return words.length >= 2 && capitals / letters > 0.6;
}
