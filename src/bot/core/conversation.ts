/**
 * What the decision core remembers of a conversation between turns: enough
 * to notice a trajectory (rising frustration, the same question again, one
 * miss after another). Plain data, so a channel can store it as JSON.
 */
import type { Action } from './decision.js';
import type { Lang } from '../../kb/types.js';

export interface TurnRecord {
  /** The customer's message, normalized (never shown to anyone; used to notice repeats). */
  readonly normalized: string;
  readonly emotion: number;
  readonly action: Action;
  readonly faqId: string | null;
  /** The customer's words, personal data masked, one line, for the agent's case summary ('' for a tapped button; case-summary.ts). */
  readonly said: string;
  /** Whether `said` describes their problem: not small talk, a bare request for a person, contact details or an order number alone. */
  readonly aboutProblem: boolean;
}

export interface Conversation {
  readonly turns: readonly TurnRecord[];
  readonly lang: Lang | null;
}

export const NEW_CONVERSATION: Conversation = { turns: [], lang: null };

/** Turns kept: more than any trajectory rule looks back. */
export const MAX_REMEMBERED_TURNS = 20;

export function recordTurn(c: Conversation, turn: TurnRecord, lang: Lang): Conversation {
  return { turns: [...c.turns, turn].slice(-MAX_REMEMBERED_TURNS), lang };
}

/** Bot turns in a row, ending with the last, that were `none` or `clarify`. */
export function trailingMisses(c: Conversation): number {
  let n = 0;
  for (let i = c.turns.length - 1; i >= 0 && isMiss(c.turns[i] as TurnRecord); i--) n++;
  return n;
}

function isMiss(t: TurnRecord): boolean {
  return t.action === 'none' || t.action === 'clarify';
}
