/**
 * The stored conversations as the admin pages read them, and the handoffs
 * among them still open (waiting for a person or with one), rebuilt from
 * each conversation's events: the store is the truth, so the list is right
 * after a restart and whichever surface (Slack, this page) acted. The open
 * handoffs are found in the store's index of open conversations, so a view
 * reads only those, not every conversation. Whether a handoff is open, and
 * who has it, is the handoff state machine's replay (core/handoff.ts), as
 * for the chat session itself.
 */
import type { HandoffReason, Lang } from '../../../kb/types.js';
import { agentOf, BOT, fromStored, openHandoff as ticketOf, replayStep, type HandoffState } from '../../core/handoff.js';
import type { Speaker, Store, StoredCase, StoredEvent, StoredFile } from '../../store/store.js';

export type Conversations = ReadonlyMap<string, readonly StoredEvent[]>;



/**
 * The open handoffs, reading only the conversations the store's index says
 * have one; a conversation that cannot be read is left out and reported
 * with its id (to log), so one bad file does not take the page down.
 *
 * @example const open = await readOpenHandoffs(store, (id, err) => log.warn('admin.unreadable', { session: id, err }));
 */
export async function readOpenHandoffs(store: Store, unreadable: (conversationId: string, err: unknown) => void): Promise<OpenHandoff[]> {
  const ids = (await store.unfinished()).filter((c) => c.handoffAt !== null).map((c) => c.id);
  const read = await Promise.all(
    ids.map(async (id): Promise<[string, readonly StoredEvent[]] | null> => {
      try {
        return [id, await store.read(id)];
      } catch (err) {
        unreadable(id, err);
        return null;
      }
    }),
  );
  return openHandoffs(new Map(read.filter((r) => r !== null)));
}

export interface TranscriptLine {
  readonly from: Speaker;
  readonly text: string;
  readonly at: string;
  readonly agent: string | null;
  /** A photo or PDF sent with the message. */
  readonly file: StoredFile | null;
}

/** A handoff state with a handoff open. */
export type OpenState = Exclude<HandoffState, { readonly kind: 'bot' }>;

export interface OpenHandoff {
  readonly sessionId: string;
  readonly ticket: string;
  readonly reason: HandoffReason;
  readonly team: string;
  readonly at: string;
  /** What intake collected (a complaint's order, wishes, contact). */
  readonly details: Readonly<Record<string, string>>;
  /** The phone numbers and e-mail addresses the customer gave with consent (intake, the message form), unmasked: shown only on a reveal. */
  readonly contacts: readonly string[];
  /** Waiting for a live chat, with a person, or a message left for the team (what a desk action is checked against). */
  readonly state: OpenState;
  /** The state's kind and its agent, for the page. */
  readonly status: OpenState['kind'];
  readonly agent: string | null;
  /** The customer's verified name, when the host site gave one. */
  readonly customer: string | null;
  /** The customer's language (from their own messages, not the page's). */
  readonly lang: Lang;
  /** The customer's message that led to the handoff, and their latest one. */
  readonly asked: string;
  /** What agents were shown about the case when it was handed off; null for a handoff stored before that was kept. */
  readonly case: StoredCase | null;
  readonly latest: string;
  readonly transcript: readonly TranscriptLine[];
}

const ORDER: Readonly<Record<OpenHandoff['status'], number>> = { queued: 0, message: 1, agent: 2 };

/** Open handoffs: the waiting ones first, longest waiting first, then messages left for the team, then those with an agent. */
export function openHandoffs(conversations: Conversations): OpenHandoff[] {
  const open = [...conversations].flatMap(([id, events]) => {
    const h = openHandoff(id, events);
    return h ? [h] : [];
  });
  return open.sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.at.localeCompare(b.at));
}

/** Replays one conversation; null unless its last handoff is still open. */
function openHandoff(sessionId: string, events: readonly StoredEvent[]): OpenHandoff | null {
  let state: HandoffState = BOT;
  let handedOff: Extract<StoredEvent, { kind: 'handoff' }> | null = null;
  let asked = '';
  let askedBy: string | null = null;
  let customer: string | null = null;
  let lang: Lang = 'zh';
  let latest = '';
  const transcript: TranscriptLine[] = [];
  const contacts = new Set<string>();
  for (const e of events) {
    const move = fromStored(e);
    if (move) state = replayStep(state, move);
    switch (e.kind) {
      case 'message':
        transcript.push({ from: e.from, text: e.text, at: e.at, agent: e.agent ?? null, file: e.file ?? null });
        if (e.from === 'customer') latest = e.text;
        if (e.from === 'customer' && e.contact) contacts.add(e.contact);
        break;
      case 'session':
        customer = e.name;
        lang = e.lang;
        break;
      case 'handoff':
        // What the state does not hold: the details and case shown to agents, and who asked what by then.
        handedOff = e;
        if (e.details['contact']) contacts.add(e.details['contact']);
        asked = latest;
        askedBy = customer;
        break;
      case 'agent':
      case 'withdrawn':
      case 'decision':
      case 'dialog':
      case 'rating':
      case 'outbox':
      case 'card':
      case 'duty':
      case 'turn':
      case 'rerun':
      case 'task':
      case 'followup':
      case 'mail':
      case 'staff':
      case 'audit':
      case 'privacy':
        break;
    }
  }
  const open = ticketOf(state);
  if (state.kind === 'bot' || open === null || handedOff === null) return null;
  // The customer's language as it is now: they may have switched since the handoff.
  return { sessionId, ticket: open.ticket, reason: open.reason, team: open.team, at: open.at, details: handedOff.details, contacts: [...contacts], state, status: state.kind, agent: agentOf(state), customer: askedBy, lang, asked, case: handedOff.case ?? null, latest, transcript };
}
