/**
 * The store logs the Slack app keeps, named in one place. Each is a
 * "conversation" of the store, so its id must be 1–64 of [A-Za-z0-9_-]
 * (CONVERSATION_ID); a name built from something that breaks the rule is
 * null, and the caller keeps that thing in memory only.
 *
 *   slack-card-<session>        one session's card (every change) and where it was posted
 *   slack-cards-<YYYYMMDD>      the cards handed off that day (UTC), for the Home tab and SLA reminders
 *   slack-threads-<ch>-<YYYYMMDD>  the posts made in a channel that day, to find a thread's session
 *   slack-outbox-<YYYYMMDD>     the calls to Slack stored that day, and each one's outcome
 *   slack-outbox-days           which of those days may still hold a call not done
 *   slack-cards, slack-outbox   the single logs of earlier versions, still read at start, no longer written
 */
import { CONVERSATION_ID } from '../../store/store.js';

/** Every card's latest state, before cards had a log each. */
export const LEGACY_CARDS_LOG = 'slack-cards';
/** Every call to Slack and its outcome, before calls were kept per day. */
export const LEGACY_OUTBOX_LOG = 'slack-outbox';
/** The outbox's index of day logs (see outbox-log.ts). */
export const OUTBOX_DAYS_LOG = 'slack-outbox-days';

/** A UTC day as YYYYMMDD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The session's own Slack log: its card's changes and its handoff post. */
export function sessionLog(sessionId: string): string | null {
  return valid(`slack-card-${sessionId}`);
}

/** The cards handed off on a UTC day. */
export function cardDayLog(day: string): string {
  return `slack-cards-${day}`;
}

/** The outbox's calls stored on a UTC day. */
export function outboxDayLog(day: string): string {
  return `slack-outbox-${day}`;
}

/** The day a day log is for, or null for any other log (the legacy one). */
export function dayOfOutboxLog(segment: string): string | null {
  return /^slack-outbox-(\d{8})$/.exec(segment)?.[1] ?? null;
}

/** The posts made in a channel on the UTC day of `ts` (a Slack timestamp, seconds since 1970), so a thread's parent is found by its ts. */
export function threadsLog(channel: string, ts: string): string | null {
  const seconds = Number(ts);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return valid(`slack-threads-${channel}-${utcDay(seconds * 1000)}`);
}

function valid(id: string): string | null {
  return CONVERSATION_ID.test(id) ? id : null;
}
