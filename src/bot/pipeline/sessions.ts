/**
 * What the server keeps in memory about each chat session: language, the
 * verified customer, the decision core's conversation state, its handoff
 * state (core/handoff.ts, moved only through `moveHandoff`), the widget ids
 * already stored and the customer messages whose turn has not finished. The
 * store is the truth; a session missing from memory (after a restart, or
 * evicted when idle) is rebuilt from its stored events the next time it is
 * needed.
 *
 * Messages are numbered by the store as it appends them (so instances
 * sharing a store agree); memory changes only once the store has the
 * message. A failed append leaves nothing behind that a re-send could
 * mistake for "already stored".
 *
 * Memory is bounded: a session with no open socket is dropped once idle
 * (waiting in the queue or not — the desk keeps its place by id), and past
 * `maxSessions` the longest-idle sessions without a socket go first. A
 * session with a socket, or used in the last minute, is never dropped.
 */
import type { Customer } from '../core/address.js';
import type { Escalation } from '../core/escalation.js';
import { BOT, fromStored, nextHandoff, replay, type Accepted, type HandoffState, type HandoffStep, type StoredHandoffEvent } from '../core/handoff.js';
import type { HandoffNotice } from './agents.js';
import { NEW_CONVERSATION, type Conversation } from '../core/conversation.js';
import type { HandoffReason, Lang } from '../../kb/types.js';
import type { ChatMessage } from './turn-io.js';
import { fileRef } from './attachments.js';
import { numberedMessages, type Store, type StoredEvent } from '../store/store.js';

export type MessageEvent = Extract<StoredEvent, { kind: 'message' }>;

/** A message's number in its conversation, and whether this call stored it (false: that widget id was already stored). */
export interface StoredMessage {
  readonly seq: number;
  readonly fresh: boolean;
}

export interface HandoffOffer {
  readonly reason: HandoffReason;
  readonly escalation: Escalation;
  readonly context: Pick<HandoffNotice, 'summary' | 'order' | 'answered' | 'category' | 'emotion' | 'suggestions' | 'suggestedReply'>;
}

/** The follow-up (回访) a session owes its customer: the scheduler's task, the ticket it follows, whether it was asked. */
export interface FollowUp {
  readonly task: string;
  readonly ticket: string;
  readonly asked: boolean;
}

export interface ChatSession {
  readonly id: string;
  lang: Lang;
  customer: Customer;
  customerId: string | null;
  conversation: Conversation;
  /** With the bot, queued, a message left, or with an agent; changed only by `moveHandoff` (or a rebuild). */
  handoff: HandoffState;
  /** A person was asked for while nobody could take the chat: where a message the customer leaves goes (memory only; the default team after a restart). */
  offer: HandoffOffer | null;
  /** Widget ids of the customer messages already stored, so a re-sent message is not stored twice. */
  readonly clientIds: Map<string, number>;
  /** Widget ids of stored customer messages whose turn has not finished yet (see pending-turns.ts). */
  readonly pendingTurns: Set<string>;
  /** The widget id of the customer message whose turn is running now (turns of a session run one at a time), so what it stores is tagged with it. */
  turnInProgress: string | null;
  /** A resolved complaint's follow-up that is due and not yet answered (its question asked or not), else null. */
  followUp: FollowUp | null;
  /** Botkit dialog state by its storage key (see dialog-storage.ts). */
  readonly dialogs: Map<string, Readonly<Record<string, unknown>>>;
  /** The address its socket last said hello from (what abuse limits count); null until a socket does, in memory only. */
  address: string | null;
  /** Sockets currently open for the session, and when it was last active (for eviction). */
  sockets: number;
  lastActive: number;
}

/** Sessions idle this long with no socket are dropped from memory (they come back from the store). */
export const IDLE_EVICT_MS = 10 * 60_000;
/** Over the cap, only sessions idle at least this long are dropped: a turn that is still running keeps its session. */
export const MIN_IDLE_MS = 60_000;
/** Over the cap, sessions are dropped down to this share of it, so the scan runs once per many new sessions. */
const EVICT_TO = 0.9;
/** Over the cap with nothing old enough to drop, the next look is this much later. */
const RESCAN_MS = 1000;

export interface SessionBookOptions {
  /** Sessions held in memory at most (sessions with a socket are never dropped, so this is a soft cap). */
  readonly maxSessions?: number;
  /** Milliseconds; default Date.now. */
  readonly now?: () => number;
}

export class SessionBook {
  private readonly sessions = new Map<string, ChatSession>();
  private readonly loading = new Map<string, Promise<ChatSession>>();
  private readonly maxSessions: number;
  private readonly now: () => number;
  /** When the cap last found nothing to drop: a flood of brand-new sessions must not rescan on every hello. */
  private fullSince = Number.NEGATIVE_INFINITY;
  /** Customer messages being stored, by session and widget id. */
  private readonly storingIds = new Map<string, Promise<StoredMessage>>();

  constructor(
    private readonly store: Store,
    opts: SessionBookOptions = {},
  ) {
    this.maxSessions = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Sessions in memory now. */
  get size(): number {
    return this.sessions.size;
  }

  /** Whether the customer has the chat open (a socket on this server); queue reminders go only to them. */
  listening(id: string): boolean {
    return (this.sessions.get(id)?.sockets ?? 0) > 0;
  }

  /** Sessions with a socket on this server now. */
  listeners(): string[] {
    return [...this.sessions.values()].filter((s) => s.sockets > 0).map((s) => s.id);
  }

  /** A session in memory, or null (use `load` to bring it back from the store). */
  get(id: string): ChatSession | null {
    return this.sessions.get(id) ?? null;
  }

  /** The session, from memory or rebuilt from its stored events; a new, empty one for an unknown id. */
  load(id: string, lang: Lang): Promise<ChatSession> {
    const known = this.sessions.get(id);
    if (known) {
      known.lastActive = Math.max(known.lastActive, this.now());
      return Promise.resolve(known);
    }
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.store.read(id).then((events) => {
        const session = this.sessions.get(id) ?? rebuild(id, lang, events, this.now());
        this.sessions.set(id, session);
        if (this.sessions.size > this.maxSessions && this.now() - this.fullSince >= RESCAN_MS) this.makeRoom(this.now());
        return session;
      });
      pending.finally(() => this.loading.delete(id)).catch(() => undefined);
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** The conversation's messages after `after`, as the widget shows them (the last MAX of them). */
  async history(id: string, after: number, max: number): Promise<ChatMessage[]> {
    const events = await this.store.read(id);
    const messages = toMessages(events).filter((m) => m.seq > after);
    return messages.slice(-max);
  }

  /**
   * Brings a session in memory up to date with the store, in place (the
   * objects channels hold stay valid): what another instance sharing the
   * store changed (its handoff, dialogs, settings, stored messages) is read
   * again; what only this process knows (sockets, address, the decision
   * core's short-term state, a running turn) is kept. Nothing for a session
   * not in memory: it is read fresh when loaded.
   */
  async refresh(id: string): Promise<void> {
    const known = this.sessions.get(id);
    if (!known) return;
    const fresh = rebuild(id, known.lang, await this.store.read(id), this.now());
    Object.assign(known, { lang: fresh.lang, customer: fresh.customer, customerId: fresh.customerId, handoff: fresh.handoff, followUp: fresh.followUp });
    replaceAll(known.clientIds, fresh.clientIds);
    replaceAll(known.dialogs, fresh.dialogs);
    known.pendingTurns.clear();
    for (const t of fresh.pendingTurns) known.pendingTurns.add(t);
  }

  /** Forgets a session's memory, so the next use rebuilds it from the store. */
  drop(id: string): void {
    this.sessions.delete(id);
  }

  /** Drops idle sessions with no open socket from memory, queued ones included, then any over the cap. */
  sweep(now: number): void {
    for (const [id, s] of this.sessions) if (s.sockets === 0 && now - s.lastActive > IDLE_EVICT_MS) this.sessions.delete(id);
    if (this.sessions.size > this.maxSessions) this.makeRoom(now);
  }

  /** Over the cap: drops the longest-idle sessions without a socket (idle at least MIN_IDLE_MS) down to EVICT_TO of it. */
  private makeRoom(now: number): void {
    const target = Math.floor(this.maxSessions * EVICT_TO);
    const idle = [...this.sessions.values()].filter((s) => s.sockets === 0 && now - s.lastActive >= MIN_IDLE_MS).sort((a, b) => a.lastActive - b.lastActive);
    for (const s of idle) {
      if (this.sessions.size <= target) return;
      this.sessions.delete(s.id);
    }
    if (this.sessions.size > this.maxSessions) this.fullSince = now;
  }

  /**
   * Stores a message of the session; the store numbers it. Appends go to the
   * store at once (it keeps them in call order, and a burst shares one
   * write). A customer message whose widget id is stored, or being stored,
   * is not stored again: its number comes back with `fresh: false`. A failed
   * append changes nothing in memory and rejects, so a re-send is stored for real.
   *
   * @example const { seq } = await sessions.storeMessage(session, { kind: 'message', at, from: 'bot', text });
   */
  storeMessage(session: ChatSession, event: MessageEvent): Promise<StoredMessage> {
    const id = event.id;
    const known = id === undefined ? undefined : session.clientIds.get(id);
    if (known !== undefined) return Promise.resolve({ seq: known, fresh: false });
    const storing = id === undefined ? undefined : this.storingIds.get(`${session.id}/${id}`);
    if (storing) return storing.then(({ seq }) => ({ seq, fresh: false }));
    // A bot message said during a customer message's turn is tagged with it: at a restart it shows that turn was answered.
    const tagged = event.from === 'bot' && session.turnInProgress !== null && event.turn === undefined ? { ...event, turn: session.turnInProgress } : event;
    const step = this.store.append(session.id, tagged).then((seq) => stored(session, event, seq));
    if (id !== undefined) this.remember(`${session.id}/${id}`, step);
    return step;
  }

  /** Stores the session's settings (language, verified customer) after one changed, so a rebuild has them. */
  async saveSettings(session: ChatSession, at: string): Promise<void> {
    await this.store.append(session.id, sessionEvent(session, at));
  }

  /** Records that the turn of customer message `clientId` has finished, so it is never run again. */
  async finishTurn(session: ChatSession, clientId: string, at: string): Promise<void> {
    await this.store.append(session.id, { kind: 'turn', at, id: clientId });
    session.pendingTurns.delete(clientId);
  }

  /**
   * A handoff move, live: stored and then made in memory if the state
   * machine accepts it in the session's state now; refused otherwise, with
   * nothing stored (the caller tells nobody). A new handoff is never refused.
   *
   * @example const step = await sessions.moveHandoff(session, { kind: 'agent', at, event: 'joined', agent: 'Alice' }); if (!step.ok) log.info('handoff.refused', { why: step.why });
   */
  moveHandoff(session: ChatSession, event: Extract<StoredEvent, { kind: 'handoff' }>): Promise<Accepted>;
  moveHandoff(session: ChatSession, event: StoredHandoffEvent): Promise<HandoffStep>;
  async moveHandoff(session: ChatSession, event: StoredHandoffEvent): Promise<HandoffStep> {
    const step = nextHandoff(session.handoff, fromStored(event));
    if (!step.ok) return step;
    await this.store.append(session.id, event);
    session.handoff = step.state;
    return step;
  }

  /** Records a step of the session's follow-up (due, asked, answered), then makes it in memory. */
  async followUp(session: ChatSession, event: Extract<StoredEvent, { kind: 'followup' }>): Promise<void> {
    await this.store.append(session.id, event);
    apply(session, event);
  }

  /** A widget id being stored, so a re-send meanwhile waits for it instead of storing it twice. */
  private remember(key: string, step: Promise<StoredMessage>): void {
    this.storingIds.set(key, step);
    const forget = (): void => void this.storingIds.delete(key);
    step.then(forget, forget);
  }
}

/** The stored record of a session's settings (language, verified customer), written when one changes; replayed by `rebuild`. */
export function sessionEvent(session: Pick<ChatSession, 'lang' | 'customerId' | 'customer'>, at: string): Extract<StoredEvent, { kind: 'session' }> {
  return { kind: 'session', at, lang: session.lang, customerId: session.customerId, name: session.customer.name ?? null };
}

/** A message the store now holds as number `seq`, remembered in memory: its widget id and, for a customer message, its pending turn. */
function stored(session: ChatSession, event: MessageEvent, seq: number): StoredMessage {
  if (event.id !== undefined) session.clientIds.set(event.id, seq);
  if (event.from === 'customer' && event.id !== undefined) session.pendingTurns.add(event.id);
  return { seq, fresh: true };
}

function replaceAll<K, V>(target: Map<K, V>, source: ReadonlyMap<K, V>): void {
  target.clear();
  for (const [k, v] of source) target.set(k, v);
}

function rebuild(id: string, lang: Lang, events: readonly StoredEvent[], now: number): ChatSession {
  const s: ChatSession = { id, lang, customer: {}, customerId: null, conversation: NEW_CONVERSATION, handoff: BOT, offer: null, clientIds: new Map(), pendingTurns: new Set(), turnInProgress: null, followUp: null, dialogs: new Map(), address: null, sockets: 0, lastActive: now };
  for (const e of events) apply(s, e);
  s.handoff = replay(events);
  for (const { seq, message } of numberedMessages(events)) if (message.id) s.clientIds.set(message.id, seq);
  s.conversation = { ...NEW_CONVERSATION, lang: s.lang };
  return s;
}

/** Replays one stored event onto a session being rebuilt. */
function apply(s: ChatSession, e: StoredEvent): void {
  switch (e.kind) {
    case 'message':
      if (e.id && e.from === 'customer') s.pendingTurns.add(e.id);
      return;
    case 'turn':
      s.pendingTurns.delete(e.id);
      return;
    case 'rerun':
      return;
    case 'session':
      s.lang = e.lang;
      s.customerId = e.customerId;
      s.customer = e.name ? { name: e.name } : {};
      return;
    case 'dialog':
      if (e.state) s.dialogs.set(e.key, e.state);
      else s.dialogs.delete(e.key);
      return;
    case 'handoff':
    case 'withdrawn':
    case 'agent':
      // The handoff state is the machine's replay of these (core/handoff.ts).
      return;
    case 'followup':
      s.followUp = e.op === 'answered' ? (s.followUp?.task === e.task ? null : s.followUp) : { task: e.task, ticket: e.ticket, asked: e.op === 'asked' };
      return;
    case 'decision':
    case 'rating':
    case 'outbox':
    case 'card':
    case 'duty':
    case 'task':
    case 'mail':
    case 'staff':
    case 'audit':
    case 'privacy':
      return;
  }
}

/** Stored message events as numbered chat messages. */
export function toMessages(events: readonly StoredEvent[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const { seq, message: e } of numberedMessages(events)) {
    out.push({
      type: 'message',
      seq,
      from: e.from,
      text: e.text,
      at: e.at,
      ...(e.agent ? { agent: e.agent } : {}),
      ...(e.quickReplies ? { quickReplies: e.quickReplies } : {}),
      ...(e.id ? { id: e.id } : {}),
      ...(e.file ? { file: fileRef(e.file) } : {}),
    });
  }
  return out;
}
