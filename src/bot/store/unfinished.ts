/**
 * What makes a conversation unfinished, as a pure fold over its events: a
 * handoff not yet closed, or customer messages whose turn never finished.
 * The store keeps the result per conversation as it appends, so the server
 * finds what to requeue and which turns to re-run without reading every
 * conversation at startup.
 */
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
      return { ...state, handoffAt: e.at };
    case 'withdrawn':
      return { ...state, handoffAt: null };
    case 'agent':
      // Returned to the bot or resolved: the handoff is over (see agentTransition in pipeline/sessions.ts).
      return e.event === 'returned' || e.event === 'resolved' ? { ...state, handoffAt: null } : state;
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
