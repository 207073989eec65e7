/**
 * A conversation's events with the personal data taken out, everything
 * counted kept: what retention and a customer's request to be forgotten
 * leave behind. Text anyone typed or was shown about the customer (messages,
 * contact details, the handoff's details and case, a survey comment, the
 * dialogs' state, the masked address an e-mail went to, a file's name, the
 * customer's name and verified id) becomes REMOVED or goes; kinds, times,
 * speakers, message numbers, decisions, handoff reasons and teams, tickets,
 * ratings' scores and agents' names stay, so every statistic the dashboard
 * draws from the store adds up the same before and after. Pure.
 */
import type { StoredCase, StoredEvent } from '../store/store.js';

/** What stands where personal text was. */
export const REMOVED = '[removed]';

export function anonymised(e: StoredEvent): StoredEvent {
  switch (e.kind) {
    case 'message': {
      const { contact: _contact, payload: _payload, ...rest } = e;
      return { ...rest, text: e.text === '' ? '' : REMOVED, ...(e.file ? { file: { ...e.file, name: REMOVED } } : {}) };
    }
    case 'session':
      return { ...e, customerId: null, name: null };
    case 'handoff': {
      const details = Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, v === '' ? '' : REMOVED]));
      return { ...e, details, ...(e.case ? { case: anonymisedCase(e.case) } : {}) };
    }
    case 'rating':
      return { ...e, comment: e.comment === null ? null : REMOVED };
    case 'dialog':
      return { ...e, state: null };
    case 'mail':
      return { ...e, to: REMOVED };
    case 'turn':
    case 'rerun':
    case 'decision':
    case 'withdrawn':
    case 'agent':
    case 'outbox':
    case 'card':
    case 'duty':
    case 'task':
    case 'followup':
    case 'privacy':
    case 'staff':
    case 'audit':
      return e;
  }
}

function anonymisedCase(c: StoredCase): StoredCase {
  return { summary: REMOVED, order: null, answered: [], emotion: c.emotion, suggestedReply: REMOVED };
}

/** Whether a log is a customer's conversation (rather than one of the scheduler's or Slack's own logs). */
export function isCustomerConversation(events: readonly StoredEvent[]): boolean {
  return events.some((e) => e.kind === 'message' || e.kind === 'session' || e.kind === 'handoff');
}
