/**
 * The SLA clock on a handoff card, pure: which reminder is due (once each),
 * and when a closed card may leave memory.
 *
 *   waiting, past its first-response time          → ping the path's supervisor
 *   claimed, the owner silent that long after the claim → remind the owner
 */
import { parseDuration } from '../../../kb/duration.js';
import { slaOwnerText, slaSupervisorText } from './agent-views.js';
import type { HandoffCard } from './handoff-card.js';

/** A closed card is kept this long after its handoff (for the Home tab's "today" and late button presses). */
export const CLOSED_CARD_MS = 24 * 3600_000;

/** The reminder due on a card now: the card marked as reminded, and the thread message; null when none is due. */
export function slaReminder(card: HandoffCard, now: Date): { readonly card: HandoffCard; readonly text: string } | null {
  const sla = (parseDuration(card.escalation.sla.firstResponse)?.seconds ?? 60) * 1000;
  if (card.state === 'waiting' && !card.remindedSupervisor && now.getTime() > Date.parse(card.dueBy)) return { card: { ...card, remindedSupervisor: true }, text: slaSupervisorText(card) };
  if (card.state === 'claimed' && card.owner && !card.answeredAt && !card.remindedOwner && card.claimedAt && now.getTime() > Date.parse(card.claimedAt) + sla) {
    return { card: { ...card, remindedOwner: true }, text: slaOwnerText(card.owner, card.escalation.sla.firstResponse) };
  }
  return null;
}

/** Resolved or returned over a day ago: the card can leave memory (it stays in the store). */
export function closedLongAgo(card: HandoffCard, now: Date): boolean {
  return (card.state === 'resolved' || card.state === 'returned' || card.state === 'withdrawn') && now.getTime() - Date.parse(card.handedOffAt) > CLOSED_CARD_MS;
}
