/**
 * Handing a conversation to a person, and only promising what will happen:
 *
 *   someone on duty, within service hours   → the customer joins their team's
 *       queue with a ticket and hears their place and an estimated wait
 *       computed from the queue and the team's recent handling times;
 *   nobody on duty, or outside service hours → they are told so plainly and
 *       offered to leave a message (the widget's form); nothing is queued
 *       that nobody would serve. What intake already collected (a complaint)
 *       is filed at once as a message for the team.
 *
 * A message left becomes a ticket routed by the escalation path, shown to
 * agents in Slack and on the admin page, and answered in the conversation
 * (the customer sees the reply when they next open the chat) or by phone.
 *
 * A customer whose address or session has handed off too often just now
 * (HandoffGate) is told, politely, when to try again, and is not queued.
 */
import { randomInt } from 'node:crypto';
import type { BotWorker } from 'botkit';
import { summarize } from '../bot/core/decide.js';
import type { Escalation } from '../bot/core/escalation.js';
import { formatDuration } from '../bot/core/phrasing.js';
import { formatOpening, isOpen, nextOpening } from '../bot/core/service-hours.js';
import { caseRecord, type HandoffNotice } from '../bot/pipeline/agents.js';
import { MIN_REMIND_MS, type TeamTimes } from '../bot/pipeline/desk.js';
import type { BotDeps, TactTurn } from '../bot/pipeline/turn.js';
import { parseDuration } from '../kb/duration.js';
import type { PhrasingLibrary } from '../bot/core/phrasing.js';
import type { Duration, HandoffReason, Lang } from '../kb/types.js';
import { button, line, say, sayStatus, type Voice } from './say.js';

/** What agents are shown about the case besides the escalation path. */
export type CaseContext = Pick<HandoffNotice, 'summary' | 'order' | 'answered' | 'category' | 'emotion' | 'suggestions' | 'suggestedReply'>;

export interface HandoffRequest {
  readonly reason: HandoffReason;
  readonly escalation: Escalation;
  readonly context: CaseContext;
  /** What the team needs beyond the transcript (a complaint's order number, wishes, contact). */
  readonly details?: Readonly<Record<string, string>>;
  /** Tell the customer their place in the queue (a complaint's own confirmation says it instead). */
  readonly announce: boolean;
  /** Said first: why a person takes over (the decision's reply for its reason). */
  readonly intro?: string;
  /** The ticket it continues (a complaint reopened at its follow-up); a new one by default. */
  readonly ticket?: string;
}

/** Who can take the conversation now. */
export type Availability = { readonly kind: 'staffed' } | { readonly kind: 'nobody' } | { readonly kind: 'closed'; readonly opening: Date | null };

export type HandoffResult =
  /** Queued for a live chat, with the wait we told them. */
  | { readonly kind: 'queued'; readonly ticket: string; readonly waitSeconds: number }
  /** Filed as a message for the team (nobody could take the chat). */
  | { readonly kind: 'message'; readonly ticket: string; readonly availability: Exclude<Availability, { kind: 'staffed' }> }
  /** Nobody could take the chat; the customer was offered to leave a message. */
  | { readonly kind: 'offered' }
  /** Over the handoff limits (the customer has been told when to try again). */
  | { readonly kind: 'limited' };

/** What a customer leaves in the widget's form. */
export interface LeftMessage {
  readonly what: string;
  /** A phone number or e-mail address given with consent, or null. */
  readonly contact: string | null;
}

export function availability(deps: BotDeps, turn: TactTurn): Availability {
  const service = turn.index.kb.shop.service;
  if (!isOpen(service, turn.now)) return { kind: 'closed', opening: nextOpening(service, turn.now) };
  return deps.desk.staffed(turn.now) > 0 ? { kind: 'staffed' } : { kind: 'nobody' };
}

export async function handOff(bot: BotWorker, deps: BotDeps, turn: TactTurn, req: HandoffRequest): Promise<HandoffResult> {
  const { session } = turn;
  const admitted = await deps.handoffs.admit(session);
  if (!admitted.ok) return limited(bot, deps, turn, admitted.retryAfterMs);
  const now = availability(deps, turn);
  // A plain "of course, a person will help you" would contradict "nobody is available"; any other reason's explanation (an apology, safety advice) is said either way.
  if (req.intro !== undefined && (now.kind === 'staffed' || req.reason !== 'requested')) await say(bot, req.intro);
  if (now.kind !== 'staffed') {
    // Intake already collected what the team needs: that is the message.
    if (req.details !== undefined) return { kind: 'message', ticket: await file(bot, deps, turn, req, 'message'), availability: now };
    session.offer = { reason: req.reason, escalation: req.escalation, context: req.context };
    await offerMessage(bot, turn, now);
    return { kind: 'offered' };
  }
  const ticket = await file(bot, deps, turn, req, 'queue');
  const times = teamTimes(req.escalation);
  const remindEvery = Math.max(MIN_REMIND_MS, times.firstResponseSeconds * 1000);
  const place = deps.desk.enqueue(session.id, req.escalation.team, times, remindEvery, turn.now.getTime());
  if (req.announce) await say(bot, line(turn, 'holding.queue', { position: String(place.position), wait: waitText(turn, place.waitSeconds) }), [button(turn, 'cancel_wait')]);
  await sayStatus(bot, 'queued', { position: place.position });
  return { kind: 'queued', ticket, waitSeconds: place.waitSeconds };
}

/** Tells the customer nobody can take the chat now, and offers the message form. */
export async function offerMessage(bot: BotWorker, turn: TactTurn, now: Exclude<Availability, { kind: 'staffed' }>): Promise<void> {
  await say(bot, unavailableText(turn, now, 'holding.nobody'), [button(turn, 'leave_message')]);
}

/** Files what the customer left in the form as a ticket for the team that would have taken the chat. */
export async function leaveMessage(bot: BotWorker, deps: BotDeps, turn: TactTurn, left: LeftMessage): Promise<void> {
  const { session, index } = turn;
  const offer = session.offer ?? defaultOffer(turn);
  const details = { what: left.what, ...(left.contact !== null ? { contact: left.contact } : {}) };
  // The card's summary is what the customer wrote for the team, not the request that led to the form.
  const ticket = await file(bot, deps, turn, { ...offer, context: { ...offer.context, summary: summarize(left.what) }, details, announce: false }, 'message');
  session.offer = null;
  const now = availability(deps, turn);
  const resolution = formatDuration(index.kb.phrasing, parseDuration(offer.escalation.sla.resolution) ?? FALLBACK, session.lang);
  const callback = now.kind === 'closed' && now.opening ? formatOpening(index.kb.shop.service, now.opening, session.lang) : resolution;
  await say(bot, line(turn, left.contact === null ? 'holding.message_left' : 'holding.message_left.contact', { ticket, callback }));
}

/**
 * Records the handoff with a ticket number, tells the agents, and sets the
 * session's state: queued for a live chat, or a message left for the team.
 */
async function file(bot: BotWorker, deps: BotDeps, turn: TactTurn, req: Omit<HandoffRequest, 'intro'>, via: 'queue' | 'message'): Promise<string> {
  const { session, now } = turn;
  const ticket = req.ticket ?? ticketNumber(now);
  const { team, channel } = req.escalation;
  // A new handoff is never refused: it replaces one still open (core/handoff.ts).
  await deps.sessions.moveHandoff(session, { kind: 'handoff', at: now.toISOString(), reason: req.reason, team, channel, ticket, details: req.details ?? {}, ...(via === 'message' ? { via } : {}), case: caseRecord(req.context) });
  deps.log.info('handoff', { session: session.id, reason: req.reason, team, ticket, via });
  if (via === 'message') await sayStatus(bot, 'message');
  const service = turn.index.kb.shop.service;
  const firstResponse = teamTimes(req.escalation).firstResponseSeconds;
  const opening = nextOpening(service, now);
  // Left while the team is away, the customer is told they hear back when it is back: that is kept as a task for then.
  if (via === 'message' && opening && !isOpen(service, now)) await deps.commitments.callBack(session.id, { reason: req.reason, team, channel, ticket, at: now.toISOString() }, opening);
  await deps.agents.handedOff({
    ...req.context,
    sessionId: session.id,
    ticket,
    reason: req.reason,
    escalation: req.escalation,
    lang: session.lang,
    customer: session.customer.name ?? null,
    at: now,
    dueBy: new Date((opening ?? now).getTime() + firstResponse * 1000),
    details: req.details ?? {},
    via,
  });
  return ticket;
}

/** Nobody on duty or out of hours, for a template taking {hours} and {callback}. */
export function unavailableText(v: Voice & { readonly now: Date }, now: Exclude<Availability, { kind: 'staffed' }>, nobodyTemplate: string): string {
  const service = v.index.kb.shop.service;
  if (now.kind === 'nobody') return line(v, nobodyTemplate);
  const callback = now.opening ? formatOpening(service, now.opening, v.session.lang) : service.hours;
  return line(v, 'holding.after_hours', { hours: service.hours, callback });
}

/** The wait, as the phrasing library says durations, in whole minutes. */
export function waitText(v: Voice, seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return formatMinutes(v.index.kb.phrasing, minutes, v.session.lang);
}

function formatMinutes(lib: PhrasingLibrary, minutes: number, lang: Lang): string {
  return formatDuration(lib, { n: minutes, unit: 'm', text: `${minutes}m`, seconds: minutes * 60 }, lang);
}

const FALLBACK: Duration = { n: 1, unit: 'm', text: '1m', seconds: 60 };

export function teamTimes(escalation: Escalation): TeamTimes {
  return {
    firstResponseSeconds: (parseDuration(escalation.sla.firstResponse) ?? FALLBACK).seconds,
    resolutionSeconds: (parseDuration(escalation.sla.resolution) ?? FALLBACK).seconds,
  };
}

/** A message left without a handoff offered first (after a restart forgot the offer): the default team takes it. */
function defaultOffer(turn: TactTurn): NonNullable<TactTurn['session']['offer']> {
  const route = turn.index.router.route('requested', null, [], turn.session.lang);
  return { reason: 'requested', escalation: route.escalation, context: { summary: '', order: null, answered: [], category: null, emotion: { score: 0, level: 'calm', cues: [] }, suggestions: [], suggestedReply: '' } };
}

async function limited(bot: BotWorker, deps: BotDeps, turn: TactTurn, retryAfterMs: number): Promise<HandoffResult> {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  deps.log.info('handoff.limited', { session: turn.session.id, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
  await say(bot, line(turn, 'holding.limited', { wait: formatMinutes(turn.index.kb.phrasing, minutes, turn.session.lang) }));
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
