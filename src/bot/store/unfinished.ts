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

/** The state after one more event. */
export function nextUnfinished(state: Unfinished, e: StoredEvent): Unfinished {
  switch (e.kind) {
    case 'message':
      return e.from === 'customer' && e.id !== undefined ? { ...state, pendingTurns: [...state.pendingTurns, e.id] } : state;
    case 'turn':
      return state.pendingTurns.includes(e.id) ? { ...state, pendingTurns: state.pendingTurns.filter((id) => id !== e.id) } : state;
    case 'handoff':
    case 'withdrawn':
    case 'agent': {
      const handoffAt = nextOpenedAt(state.handoffAt, fromStored(e));
      return handoffAt === state.handoffAt ? state : { ...state, handoffAt };
    }
    case 'session':
    case 'decision':
    case 'dialog':
    case 'rating':
    case 'outbox':
    case 'card':
    case 'duty':
    case 'rerun':
      return state;
  }
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
