/**
 * The handoff policy: whether a person should take over, and the named
 * reason agents will see. Reasons are checked most urgent first; the first
 * that applies wins.
 *
 *   safety, fraud, account_security, legal  a risk phrase, or a threat of a regulator or court
 *   requested                               the customer asks for a person
 *   emotion                                 upset at or above the policy's level
 *   complaint                               the customer is making a complaint: says so, is upset, or no FAQ covers it
 *   multi_question                          a long message with several questions
 *   faq_always_human                        the answer is an FAQ flagged "always human"
 *   frustration                             the same question again, or emotion rising turn on turn
 *   repeated_failure                        too many none/clarify turns in a row
 */
import { bigrams, jaccard } from '../../intents/bigrams.js';
import type { Emotion } from '../../intents/emotion.js';
import type { IntentGuess } from '../../intents/conversational.js';
import type { RiskHit } from '../../intents/risk.js';
import { EMOTION_LEVELS, type HandoffReason, type PolicySettings } from '../../kb/types.js';
import { trailingMisses, type Conversation, type TurnRecord } from './conversation.js';
import type { FaqOutcome } from './faq-outcome.js';

export interface PolicyInput {
  readonly policy: PolicySettings;
  readonly conversation: Conversation;
  readonly normalized: string;
  readonly emotion: Emotion;
  readonly intent: IntentGuess | null;
  readonly risks: readonly RiskHit[];
  readonly faq: FaqOutcome;
  readonly questions: number;
  readonly length: number;
  /** Whether the message is small talk the bot answers itself (it never counts as a miss). */
  readonly smalltalk: boolean;
}

/**
 * A calm complaint gives way to an "always human" FAQ only when the FAQ is
 * surely about it: the best of weak matches ("the installer scratched my
 * floor" → the delivery-delay compensation FAQ) would lose the complaint.
 */
export const SURE_REMEDY = 0.5;

/** Two messages at least this similar (character-bigram Jaccard) are the same question asked again. */
export const SAME_QUESTION = 0.6;

export function handoffReason(p: PolicyInput): HandoffReason | null {
  const risk = p.risks[0];
  if (risk) return risk.kind;
  if (p.emotion.threats.includes('legal') || p.emotion.threats.includes('regulator')) return 'legal';
  if (p.intent?.intent === 'ask_human') return 'requested';
  if (atLeast(p.emotion, p.policy.emotionLevel)) return 'emotion';
  if (p.intent?.intent === 'complaint' && !answerableQuestion(p)) return 'complaint';
  if (p.questions >= p.policy.multiQuestion.questions && p.length >= p.policy.multiQuestion.minChars) return 'multi_question';
  if (p.faq.kind === 'answer' && p.faq.faq.handoff) return 'faq_always_human';
  if (!p.smalltalk && (askedAgain(p) || emotionRising(p))) return 'frustration';
  if (!p.smalltalk && (p.faq.kind === 'none' || p.faq.kind === 'clarify') && trailingMisses(p.conversation) + 1 >= p.policy.consecutiveMisses) return 'repeated_failure';
  return null;
}

/**
 * A complaint the model only guesses at (no cue such as 我要投诉) that an FAQ
 * answers with confidence gets the answer, when it is asked as a question
 * ("it already leaks, what can you do?": the customer asked for the remedy,
 * and the FAQ is it), or told calmly and the FAQ is one a person always takes
 * (东西坏了: the damaged-item FAQ says what to keep and photograph, and hands
 * over to its team). The complaint intake is for a customer who says they
 * are complaining, or is upset, or whose problem no such FAQ covers.
 */
function answerableQuestion(p: PolicyInput): boolean {
  if (p.faq.kind !== 'answer' || (p.intent?.confidence ?? 0) >= 1) return false;
  return p.questions > 0 || (p.faq.faq.handoff && p.emotion.level === 'calm' && p.faq.blended >= SURE_REMEDY);
}

function atLeast(e: Emotion, level: PolicySettings['emotionLevel']): boolean {
  return EMOTION_LEVELS.indexOf(e.level) >= EMOTION_LEVELS.indexOf(level);
}

/** The customer has now asked (nearly) the same thing `repeatedQuestion` times. */
function askedAgain(p: PolicyInput): boolean {
  if (p.normalized.length < 4) return false;
  const mine = bigrams(p.normalized);
  const earlier = p.conversation.turns.filter((t) => t.action !== 'smalltalk' && jaccard(mine, turnBigrams(t)) >= SAME_QUESTION);
  return earlier.length + 1 >= p.policy.repeatedQuestion;
}

/** Emotion has risen on each of the last `risingTurns` turns (this one included) and is now upset or worse. */
function emotionRising(p: PolicyInput): boolean {
  const n = p.policy.risingTurns;
  const scores = [...p.conversation.turns.slice(-(n - 1)).map((t) => t.emotion), p.emotion.score];
  if (scores.length < n || p.emotion.level === 'calm') return false;
  return scores.every((s, i) => i === 0 || s > (scores[i - 1] as number));
}

/**
 * A remembered turn's bigrams, computed once per text: every later message
 * compares against all of them. Keyed by the text, not the turn object: a
 * conversation decided in a worker thread arrives as a copy every turn.
 * Bounded: past MEMO_TEXTS texts it starts again (a memo, never an answer).
 */
const TURN_BIGRAMS = new Map<string, ReadonlySet<string>>();
const MEMO_TEXTS = 5000;

function turnBigrams(t: TurnRecord): ReadonlySet<string> {
  let b = TURN_BIGRAMS.get(t.normalized);
  if (!b) {
    if (TURN_BIGRAMS.size >= MEMO_TEXTS) TURN_BIGRAMS.clear();
    b = bigrams(t.normalized);
    TURN_BIGRAMS.set(t.normalized, b);
  }
  return b;
}
