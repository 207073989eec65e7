/**
 * What makes a conversation unfinished, as a pure fold over its events: a
 * handoff not yet closed, or customer messages whose turn never finished.
 * The store keeps the result per conversation as it appends, so the server
 * finds what to requeue and which turns to re-run without reading every
 * conversation at startup. When a handoff is open is the handoff state
 * machine's rule (core/handoff.ts), the same the chat session and the admin
 * page replay; only its start time is kept, as control.json always held it.
 */
import { fromStored, nextOpenedAt } from '../core/handoff.js';
import type { OpenConversation, StoredEvent } from './store.js';

export interface Unfinished {
  readonly handoffAt: string | null;
  readonly pendingTurns: readonly string[];
}

export const FINISHED: Unfinished = { handoffAt: null, pendingTurns: [] };

/**
 * What one event changes, whatever the state before it: the open handoff's
 * start (`handoff`: set to a time, or cleared with null; undefined: kept),
 * and a customer message's turn to add or to finish. The PostgreSQL store
 * applies it in SQL, as nextUnfinished applies it here.
 */
export interface UnfinishedChange {
  readonly handoff?: { readonly to: string | null };
  readonly addTurn?: string;
  readonly finishTurn?: string;
}

const NO_CHANGE: UnfinishedChange = {};

export function changeOf(e: StoredEvent): UnfinishedChange {
  switch (e.kind) {
    case 'message':
      return e.from === 'customer' && e.id !== undefined ? { addTurn: e.id } : NO_CHANGE;
    case 'turn':
      return { finishTurn: e.id };
    case 'handoff':
    case 'withdrawn':
    case 'agent': {
      // When the handoff opened depends only on the move: a new handoff sets it, a close clears it, the rest keep it.
      const opened = nextOpenedAt(KEPT, fromStored(e));
      return opened === KEPT ? NO_CHANGE : { handoff: { to: opened } };
    }
    case 'session':
    case 'decision':
    case 'dialog':
    case 'rating':
    case 'outbox':
    case 'card':
    case 'duty':
    case 'rerun':
    case 'task':
    case 'followup':
    case 'mail':
    case 'staff':
    case 'audit':
    case 'privacy':
      return NO_CHANGE;
  }
}

/** A start time no event carries, so a move that keeps it is told from one that sets it. */
const KEPT = '\u0000kept';

/** The state after one more event. */
export function nextUnfinished(state: Unfinished, e: StoredEvent): Unfinished {
  const change = changeOf(e);
  if (change === NO_CHANGE) return state;
  const { addTurn, finishTurn, handoff } = change;
  if (addTurn !== undefined) return { ...state, pendingTurns: [...state.pendingTurns, addTurn] };
  if (finishTurn !== undefined) return state.pendingTurns.includes(finishTurn) ? { ...state, pendingTurns: state.pendingTurns.filter((id) => id !== finishTurn) } : state;
  return handoff && handoff.to !== state.handoffAt ? { ...state, handoffAt: handoff.to } : state;
}

export function isFinished(state: Unfinished): boolean {
  return state.handoffAt === null && state.pendingTurns.length === 0;
}

export function unfinishedOf(events: readonly StoredEvent[]): Unfinished {
  return events.reduce(nextUnfinished, FINISHED);
}

export function openConversation(id: string, state: Unfinished): OpenConversation {
  return { id, handoffAt: state.handoffAt, pendingTurns: state.pendingTurns };
}
