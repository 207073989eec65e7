/**
 * The reliability soak's tally, kept pure so it can be tested on its own:
 * each customer's ledger (what the server acknowledged) held against the
 * conversations read offline from the data directory at the end.
 *
 *   lost        acknowledged, and not in the conversation on disk
 *   twice       stored more than once (a re-sent message must be recognised by its id)
 *   unanswered  acknowledged and kept, but no bot or agent message answers it
 *
 * Answers are matched in order: each bot or agent message answers the oldest
 * question still waiting (a greeting with nothing waiting answers nothing).
 * After a handoff the bot stays quiet by design until the conversation goes
 * back to it, so questions waiting then are not counted as unanswered.
 */
import type { StoredEvent } from '../src/bot/store/store.js';

export interface Ledger {
  /** The conversation's id in the store (the session id). */
  readonly conversation: string;
  /** Message ids the server acknowledged, in sending order. */
  readonly acked: readonly string[];
}

export interface Tally {
  readonly acked: number;
  readonly lost: number;
  readonly twice: number;
  readonly unanswered: number;
}

export function tally(ledgers: readonly Ledger[], stored: ReadonlyMap<string, readonly StoredEvent[]>): Tally {
  let acked = 0;
  let lost = 0;
  let twice = 0;
  let unanswered = 0;
  for (const ledger of ledgers) {
    const events = stored.get(ledger.conversation) ?? [];
    const ids = customerIds(events);
    const ackedSet = new Set(ledger.acked);
    acked += ledger.acked.length;
    lost += ledger.acked.filter((id) => !ids.includes(id)).length;
    twice += ids.length - new Set(ids).size;
    unanswered += unansweredIn(events, ackedSet);
  }
  return { acked, lost, twice, unanswered };
}

function customerIds(events: readonly StoredEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'message' && e.from === 'customer' && e.id !== undefined ? [e.id] : []));
}

/** Acknowledged questions in `events` that no reply follows (outside a handoff). */
function unansweredIn(events: readonly StoredEvent[], acked: ReadonlySet<string>): number {
  const waiting: string[] = [];
  const seen = new Set<string>();
  let withPeople = false;
  for (const e of events) {
    switch (e.kind) {
      case 'message':
        if (e.from !== 'customer') waiting.shift();
        else if (!withPeople && e.id !== undefined && acked.has(e.id) && !seen.has(e.id)) waiting.push(e.id);
        if (e.id !== undefined) seen.add(e.id);
        break;
      case 'handoff':
        withPeople = true;
        waiting.length = 0;
        break;
      case 'agent':
        if (e.event === 'returned' || e.event === 'resolved') withPeople = false;
        break;
      case 'turn':
      case 'decision':
      case 'session':
      case 'dialog':
      case 'rating':
      case 'outbox':
      case 'card':
        break;
    }
  }
  return waiting.length;
}
