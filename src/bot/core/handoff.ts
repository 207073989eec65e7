/**
 * The handoff state machine: whether the bot has a conversation, the
 * customer waits in the queue for a person, has left a message for the
 * team, or an agent has the chat, and which moves between those are
 * allowed. One set of rules for every surface: sessions rebuilt from the
 * store, the scripts acting live, the store's index of open handoffs, the
 * admin page and Slack. Pure: no I/O, no clock.
 *
 *   bot ──handed off──▶ queued | message ──joined──▶ agent ⇄ away/back
 *    ▲                        │                        │
 *    └──── withdrawn ─────────┘                        │
 *    └──── returned / resolved (from queued, message or agent) ◀┘
 *
 * Live actions go through `nextHandoff`, which refuses a move that makes no
 * sense now (see HandoffRefusal) so the caller stores nothing and tells
 * nobody. Stored history goes through `replay`, which never refuses: an
 * event in the store happened, whatever today's rules would say, and older
 * versions stored moves these rules refuse (see `replayStep`).
 */
import type { HandoffReason } from '../../kb/types.js';
import type { AgentEventKind, StoredEvent } from '../store/store.js';

/** The open handoff: why, to whom, and its ticket. */
export interface HandoffInfo {
  readonly reason: HandoffReason;
  readonly team: string;
  readonly channel: string;
  readonly ticket: string;
  /** When it was handed off (ISO). */
  readonly at: string;
}

export type HandoffState =
  /** The bot has the conversation; no handoff is open. */
  | { readonly kind: 'bot' }
  /** Waiting in the team's queue for a live chat. */
  | { readonly kind: 'queued'; readonly handoff: HandoffInfo }
  /** A message left for the team (nobody could take the chat); an agent answers it later. */
  | { readonly kind: 'message'; readonly handoff: HandoffInfo }
  /**
   * An agent has the chat (`away`: stepped away for a moment). `handoff` is
   * null only in history an older version stored, where an agent joined a
   * conversation with no open handoff (a Slack claim on a withdrawn request):
   * the agent talks with the customer, but there is no ticket to list.
   */
  | { readonly kind: 'agent'; readonly handoff: HandoffInfo | null; readonly agent: string; readonly away: boolean };

/** What the widget shows in its header: the state's kind (the same four words as the chat protocol's ChatStatus). */
export type HandoffStatus = HandoffState['kind'];

type AgentMove = { readonly kind: AgentEventKind; readonly agent: string };
/** A new handoff: to the queue for a live chat, or a message left for the team. */
export type HandedOff = { readonly kind: 'handed_off'; readonly via: 'queue' | 'message'; readonly handoff: HandoffInfo };

export type HandoffEvent =
  | HandedOff
  /** The customer stopped waiting: cancelled the request, or ended the chat. */
  | { readonly kind: 'withdrawn'; readonly why: 'cancelled' | 'ended' }
  /** An agent joined, stepped away, came back, handed the chat back to the bot, or resolved the case. */
  | AgentMove;

/**
 * Why a live move is refused; the state stays as it was.
 *
 *   not_open         nothing is handed off (the bot has the conversation): no agent can join,
 *                    step away, come back, return or resolve it, and there is nothing to withdraw
 *   already_claimed  an agent has the chat: nobody else can join it (nor the same agent twice,
 *                    which would tell the customer twice), and the customer's withdrawing is
 *                    not how it ends (the agent returns or resolves it)
 *   not_claimed      stepping away or coming back before any agent joined
 *   not_holder       stepping away or coming back by an agent other than the one who has the chat
 *   already_away     stepping away twice
 *   not_away         coming back without having stepped away
 */
export type HandoffRefusal = 'not_open' | 'already_claimed' | 'not_claimed' | 'not_holder' | 'already_away' | 'not_away';

export type Accepted = { readonly ok: true; readonly state: HandoffState };
export type HandoffStep = Accepted | { readonly ok: false; readonly why: HandoffRefusal };

/** The stored events that move a handoff. */
export type StoredHandoffEvent = Extract<StoredEvent, { readonly kind: 'handoff' | 'withdrawn' | 'agent' }>;
type StoredHandedOff = Extract<StoredEvent, { readonly kind: 'handoff' }>;

export const BOT: HandoffState = { kind: 'bot' };

/**
 * The state after a live move, or why it is refused. Rules: a new handoff
 * is always accepted and replaces an open one (a customer in the queue who
 * leaves a message instead, or asks for a live chat after leaving one);
 * the customer withdraws only while nobody has joined; an agent joins only
 * an open handoff nobody has; only the agent who has the chat steps away
 * and comes back; any agent returns or resolves an open handoff, claimed or
 * not (a supervisor may close another's case; a message left is often
 * resolved by phone without a chat).
 *
 * @example nextHandoff({ kind: 'agent', handoff, agent: 'Alice', away: false }, { kind: 'joined', agent: 'Bob' }) // { ok: false, why: 'already_claimed' }
 */
export function nextHandoff(state: HandoffState, event: HandedOff): Accepted;
export function nextHandoff(state: HandoffState, event: HandoffEvent): HandoffStep;
export function nextHandoff(state: HandoffState, event: HandoffEvent): HandoffStep {
  switch (event.kind) {
    case 'handed_off':
      return accept({ kind: event.via === 'message' ? 'message' : 'queued', handoff: event.handoff });
    case 'withdrawn':
      return withdrawn(state);
    case 'joined':
      return joined(state, event.agent);
    case 'away':
      return held(state, event.agent, true);
    case 'back':
      return held(state, event.agent, false);
    case 'returned':
    case 'resolved':
      return state.kind === 'bot' ? refuse('not_open') : accept(BOT);
  }
}

/**
 * What a stored event did to the state. Never refuses: the store holds what
 * happened, and history written before these rules must rebuild as it did
 * then. Older versions let a second agent join over the first, an agent
 * join a withdrawn request, a "back" stand for a join, a step away change
 * nothing, and anything close the handoff; a refused move is replayed as
 * exactly that.
 */
export function replayStep(state: HandoffState, event: HandoffEvent): HandoffState {
  const step = nextHandoff(state, event);
  if (step.ok) return step.state;
  switch (event.kind) {
    case 'handed_off':
      return state; // never refused
    case 'withdrawn':
    case 'returned':
    case 'resolved':
      return BOT;
    case 'joined':
    case 'back':
      return { kind: 'agent', handoff: openHandoff(state), agent: event.agent, away: false };
    case 'away':
      return state;
  }
}

/** A conversation's state after its stored events, in order; events that are not about the handoff are skipped. */
export function replay(events: readonly StoredEvent[]): HandoffState {
  let state = BOT;
  for (const e of events) {
    const event = fromStored(e);
    if (event) state = replayStep(state, event);
  }
  return state;
}

/** The handoff move a stored event records, or null for an event that is not one (a message, a decision …). */
export function fromStored(e: StoredHandedOff): HandedOff;
export function fromStored(e: StoredHandoffEvent): HandoffEvent;
export function fromStored(e: StoredEvent): HandoffEvent | null;
export function fromStored(e: StoredEvent): HandoffEvent | null {
  switch (e.kind) {
    case 'handoff':
      return { kind: 'handed_off', via: e.via ?? 'queue', handoff: { reason: e.reason, team: e.team, channel: e.channel, ticket: e.ticket, at: e.at } };
    case 'withdrawn':
      return { kind: 'withdrawn', why: e.why };
    case 'agent':
      return { kind: e.event, agent: e.agent };
    case 'message':
    case 'turn':
    case 'rerun':
    case 'decision':
    case 'session':
    case 'dialog':
    case 'rating':
    case 'outbox':
    case 'duty':
    case 'card':
    case 'task':
    case 'followup':
    case 'mail':
    case 'staff':
    case 'audit':
    case 'privacy':
      return null;
  }
}

/**
 * When the open handoff began after one more stored move, knowing only when
 * the one before began (null: none open): all the store's index of open
 * conversations keeps (control.json holds the time, not the state). It is
 * `openHandoff(replay(events))?.at` one event at a time: a new handoff opens,
 * withdrawing, returning and resolving close, and agents joining, stepping
 * away and coming back leave the ticket as it was (tested against `replay`).
 */
export function nextOpenedAt(openedAt: string | null, event: HandoffEvent): string | null {
  switch (event.kind) {
    case 'handed_off':
      return event.handoff.at;
    case 'withdrawn':
    case 'returned':
    case 'resolved':
      return null;
    case 'joined':
    case 'away':
    case 'back':
      return openedAt;
  }
}

/** The widget's status line for the state: 'bot', 'queued', 'message' or 'agent'. */
export function statusOf(state: HandoffState): HandoffStatus {
  return state.kind;
}

/** Whether a person has the conversation or is about to: anything but the bot. */
export function isOpen(state: HandoffState): boolean {
  return state.kind !== 'bot';
}

/** The open handoff's ticket, team and time; null when none is open (or, in old history, an agent holds a chat without one). */
export function openHandoff(state: HandoffState): HandoffInfo | null {
  return state.kind === 'bot' ? null : state.handoff;
}

/** The agent who has the chat, or null. */
export function agentOf(state: HandoffState): string | null {
  return state.kind === 'agent' ? state.agent : null;
}

function withdrawn(state: HandoffState): HandoffStep {
  switch (state.kind) {
    case 'bot':
      return refuse('not_open');
    case 'queued':
    case 'message':
      return accept(BOT);
    case 'agent':
      return refuse('already_claimed');
  }
}

function joined(state: HandoffState, agent: string): HandoffStep {
  switch (state.kind) {
    case 'bot':
      return refuse('not_open');
    case 'queued':
    case 'message':
      return accept({ kind: 'agent', handoff: state.handoff, agent, away: false });
    case 'agent':
      return refuse('already_claimed');
  }
}

/** Stepping away (`away`) or coming back: only the agent who has the chat, and only to the other of the two. */
function held(state: HandoffState, agent: string, away: boolean): HandoffStep {
  switch (state.kind) {
    case 'bot':
      return refuse('not_open');
    case 'queued':
    case 'message':
      return refuse('not_claimed');
    case 'agent':
      if (state.agent !== agent) return refuse('not_holder');
      if (state.away === away) return refuse(away ? 'already_away' : 'not_away');
      return accept({ ...state, away });
  }
}

function accept(state: HandoffState): Accepted {
  return { ok: true, state };
}

function refuse(why: HandoffRefusal): HandoffStep {
  return { ok: false, why };
}
