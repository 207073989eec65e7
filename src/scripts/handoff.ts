/**
 * Handing a conversation to a person: record the handoff with its
 * escalation path and a ticket number, put the customer in their team's
 * queue, and tell them where they stand — their place and the expected wait
 * while the team is on duty, or, outside service hours, that we take a
 * message and when we will call back.
 *
 * A customer whose address or session has handed off too often just now
 * (HandoffGate) is told, politely, when to try again, and is not queued.
 */
import { randomInt } from 'node:crypto';
import type { BotWorker } from 'botkit';
import type { Escalation } from '../bot/core/escalation.js';
import { formatDuration } from '../bot/core/phrasing.js';
import { formatOpening, isOpen, nextOpening } from '../bot/core/service-hours.js';
import { caseRecord, type HandoffNotice } from '../bot/pipeline/agents.js';
import type { BotDeps, TactTurn } from '../bot/pipeline/turn.js';
import { parseDuration } from '../kb/duration.js';
import type { Duration, HandoffReason } from '../kb/types.js';
import { line, say, sayStatus } from './say.js';

/** What agents are shown about the case besides the escalation path. */
export type CaseContext = Pick<HandoffNotice, 'summary' | 'order' | 'answered' | 'category' | 'emotion' | 'suggestions' | 'suggestedReply'>;

export interface HandoffRequest {
  readonly reason: HandoffReason;
  readonly escalation: Escalation;
  readonly context: CaseContext;
  /** What the team needs beyond the transcript (a complaint's order number, wishes, contact). */
  readonly details?: Readonly<Record<string, string>>;
  /** Tell the customer their place in the queue (a complaint's own confirmation already promises a time during service hours). */
  readonly announce: boolean;
  /** Said first, only when the customer is really queued (the decision's "passing you to a person"). */
  readonly intro?: string;
}

/** Queued with a ticket, or not queued because of the handoff limits (the customer has been told). */
export type HandoffResult = { readonly kind: 'queued'; readonly ticket: string; readonly firstResponse: Duration } | { readonly kind: 'limited' };

/** A queue reminder at least this often, whatever the SLA says. */
const MIN_REMIND_MS = 10_000;

export async function handOff(bot: BotWorker, deps: BotDeps, turn: TactTurn, req: HandoffRequest): Promise<HandoffResult> {
  const { session, index, now } = turn;
  const admitted = deps.handoffs.admit(session);
  if (!admitted.ok) return limited(bot, deps, turn, admitted.retryAfterMs);
  if (req.intro !== undefined) await say(bot, req.intro);
  const ticket = ticketNumber(now);
  const { team, channel } = req.escalation;
  await deps.store.append(session.id, { kind: 'handoff', at: now.toISOString(), reason: req.reason, team, channel, ticket, details: req.details ?? {}, case: caseRecord(req.context) });
  session.status = 'queued';
  session.handoff = { reason: req.reason, team, channel, ticket, at: now.toISOString() };
  deps.log.info('handoff', { session: session.id, reason: req.reason, team, ticket });
  const firstResponse = parseDuration(req.escalation.sla.firstResponse) ?? { n: 1, unit: 'm', text: '1m', seconds: 60 };
  const service = index.kb.escalation.service;
  const open = isOpen(service, now);
  const remindEvery = open ? Math.max(MIN_REMIND_MS, firstResponse.seconds * 1000) : Number.POSITIVE_INFINITY;
  const position = deps.desk.enqueue(session.id, team, remindEvery, now.getTime());
  // Outside service hours the customer always hears when we will call back.
  const opening = nextOpening(service, now);
  if (req.announce || !open) {
    const lib = index.kb.phrasing;
    const wait = formatDuration(lib, { ...firstResponse, n: firstResponse.n * position, seconds: firstResponse.seconds * position }, session.lang);
    await say(bot, open ? line(turn, 'holding.queue', { position: String(position), wait }) : line(turn, 'holding.after_hours', { hours: service.hours, callback: opening ? formatOpening(service, opening, session.lang) : service.hours }));
  }
  await sayStatus(bot, 'queued', { position });
  const notice: HandoffNotice = {
    ...req.context,
    sessionId: session.id,
    ticket,
    reason: req.reason,
    escalation: req.escalation,
    lang: session.lang,
    customer: session.customer.name ?? null,
    at: now,
    dueBy: new Date((opening ?? now).getTime() + firstResponse.seconds * 1000),
    details: req.details ?? {},
  };
  await deps.agents.handedOff(notice);
  return { kind: 'queued', ticket, firstResponse };
}

async function limited(bot: BotWorker, deps: BotDeps, turn: TactTurn, retryAfterMs: number): Promise<HandoffResult> {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  const wait = formatDuration(turn.index.kb.phrasing, { n: minutes, unit: 'm', text: `${minutes}m`, seconds: minutes * 60 }, turn.session.lang);
  deps.log.info('handoff.limited', { session: turn.session.id, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
  await say(bot, line(turn, 'holding.limited', { wait }));
  return { kind: 'limited' };
}

/** Letters and digits that cannot be mistaken for each other on the phone (no I, L, O, U). */
const TICKET_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ticket number a customer can read out: T, the month and day, and five
 * characters, e.g. T1127-7K3QD. Never a long run of digits, so the log's
 * personal-data masking does not take it for a phone number.
 */
function ticketNumber(now: Date): string {
  const code = Array.from({ length: 5 }, () => TICKET_ALPHABET[randomInt(0, TICKET_ALPHABET.length)]).join('');
  return `T${now.toISOString().slice(5, 10).replace('-', '')}-${code}`;
}
