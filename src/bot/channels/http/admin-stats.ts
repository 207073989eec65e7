/**
 * The dashboard's numbers, computed from the stored events of the last
 * DASHBOARD_DAYS days (days as the service's time zone counts them):
 * conversations per day, how many the bot handled alone (deflection),
 * handoffs by reason, the median time from handoff to an agent's first
 * message, the survey's ratings and the FAQs answered most. Pure.
 */
import { dayFormatter, median } from '../../core/stats.js';
import type { HandoffReason } from '../../../kb/types.js';
import type { StoredEvent } from '../../store/store.js';
import type { Conversations } from './admin-handoffs.js';

export const DASHBOARD_DAYS = 14;
const TOP_FAQS = 8;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface DashboardStats {
  /** Oldest first, DASHBOARD_DAYS of them, today last; `day` is YYYY-MM-DD. */
  readonly days: readonly { readonly day: string; readonly count: number }[];
  /** Conversations with a customer message that began in the window. */
  readonly conversations: number;
  /** Of those, the ones never handed to a person. */
  readonly answeredByBot: number;
  readonly handoffsByReason: readonly { readonly reason: HandoffReason; readonly count: number }[];
  /** Handoff → first agent message; null when no handoff was answered. */
  readonly medianFirstResponseMs: number | null;
  readonly answeredHandoffs: number;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  readonly ratings: readonly [number, number, number, number, number];
  readonly topFaqs: readonly { readonly faqId: string; readonly count: number }[];
}

export function dashboardStats(conversations: Conversations, now: Date, timeZone: string): DashboardStats {
  const dayOf = dayFormatter(timeZone);
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, i) => dayOf(now.getTime() - (DASHBOARD_DAYS - 1 - i) * DAY_MS));
  const inWindow = new Set(days);
  const perDay = new Map<string, number>();
  const reasons = new Map<HandoffReason, number>();
  const faqs = new Map<string, number>();
  const responses: number[] = [];
  const ratings: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let total = 0;
  let answeredByBot = 0;
  for (const events of conversations.values()) {
    const recent = events.filter((e) => inWindow.has(dayOf(Date.parse(e.at))));
    const start = events.find((e) => e.kind === 'message' && e.from === 'customer');
    if (start && inWindow.has(dayOf(Date.parse(start.at)))) {
      total++;
      count(perDay, dayOf(Date.parse(start.at)));
      if (!events.some((e) => e.kind === 'handoff')) answeredByBot++;
    }
    for (const e of recent) tally(e, reasons, faqs, ratings);
    responses.push(...firstResponses(recent));
  }
  return {
    days: days.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
    conversations: total,
    answeredByBot,
    handoffsByReason: ranked(reasons).map(([reason, n]) => ({ reason, count: n })),
    medianFirstResponseMs: median(responses),
    answeredHandoffs: responses.length,
    ratings,
    topFaqs: ranked(faqs)
      .slice(0, TOP_FAQS)
      .map(([faqId, n]) => ({ faqId, count: n })),
  };
}

function tally(e: StoredEvent, reasons: Map<HandoffReason, number>, faqs: Map<string, number>, ratings: number[]): void {
  if (e.kind === 'handoff') count(reasons, e.reason);
  if (e.kind === 'decision' && e.action === 'answer' && e.faqId !== null) count(faqs, e.faqId);
  if (e.kind === 'rating' && Number.isInteger(e.score) && e.score >= 1 && e.score <= 5) ratings[e.score - 1] = (ratings[e.score - 1] ?? 0) + 1;
}

/** For each handoff, the time until the next agent message (handoffs nobody has answered yet count nowhere). */
function firstResponses(events: readonly StoredEvent[]): number[] {
  const out: number[] = [];
  let handedOffAt: number | null = null;
  for (const e of events) {
    if (e.kind === 'handoff') handedOffAt = Date.parse(e.at);
    if (e.kind === 'message' && e.from === 'agent' && handedOffAt !== null) {
      out.push(Date.parse(e.at) - handedOffAt);
      handedOffAt = null;
    }
  }
  return out;
}

function count<K>(m: Map<K, number>, key: K): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function ranked<K>(m: ReadonlyMap<K, number>): [K, number][] {
  return [...m].sort((a, b) => b[1] - a[1]);
}
