/**
 * Tact's emotion scorer as an emotion-section peer: the demo KB's emotion
 * lexicon and handoff policy, nothing trained. A message is analyzed with
 * an empty concept lexicon (concepts play no part in the emotion score, so
 * the timing is normalize + tokenize + score).
 *
 *   needs_human  level at or above the policy's emotionLevel (the handoff trigger)
 *   upset        level at or above upset
 *   abusive      an insult cue was found, or level at or above angry. Cues are
 *                the normalized phrases found, so an insult is recognised by
 *                membership in the normalized `insults` list.
 */
import { analyze } from '../../src/intents/analyze.js';
import { EmotionScorer } from '../../src/intents/emotion.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { normalize } from '../../src/intents/normalize.js';
import { EMOTION_LEVELS, type EmotionLevel, type KnowledgeBase } from '../../src/kb/types.js';
import type { EmotionTask } from '../emotion-tasks.js';
import type { EmotionPeer } from './emotion-peer.js';

const NO_CONCEPTS = new Lexicon([]);

const atLeast = (level: EmotionLevel, floor: EmotionLevel): boolean => EMOTION_LEVELS.indexOf(level) >= EMOTION_LEVELS.indexOf(floor);

export function tactEmotionPeer(kb: KnowledgeBase, task: EmotionTask): EmotionPeer {
  const scorer = new EmotionScorer(kb.emotion);
  const insults = new Set(kb.emotion.insults.map(normalize));
  const floor: EmotionLevel = task === 'needs_human' ? kb.policy.emotionLevel : task === 'upset' ? 'upset' : 'angry';
  return {
    name: 'Tact',
    async train(): Promise<void> {},
    isPositive(text: string): boolean {
      const e = scorer.score(analyze(text, NO_CONCEPTS), text);
      if (task === 'abusive' && e.cues.some((c) => insults.has(c))) return true;
      return atLeast(e.level, floor);
    },
  };
}
