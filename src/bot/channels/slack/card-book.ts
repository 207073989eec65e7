/**
 * The handoff cards, kept so that any instance can read any one of them
 * cheaply. Each session has its own log (`slack-card-<session>`, logs.ts):
 * the card as posted, then each change as only the fields it set (a patch),
 * so two changes made at once on two instances to different fields (a live
 * suggestion here, a claim there) both stand; a card is those folded in
 * order. A day log (`slack-cards-<YYYYMMDD>`, UTC day of the handoff) lists
 * the cards handed off that day, so the cards worth showing (open handoffs,
 * from the store's own index, and those of the last day) are found without
 * reading every card ever made. The single `slack-cards` log of earlier
 * versions is still read at start, so a data directory keeps its cards.
 *
 * Alone (the default), memory is the truth, as it always was: the store is
 * read at start only, and a change is made in memory before anything is
 * awaited, so two presses of Claim cannot both see the card unclaimed.
 * Shared (`refresh`, several instances): another instance may have changed
 * a card, so it is read again from its log before each change, and the
 * list (Home tab, SLA reminders) is read again from the store.
 */
import type { Store, StoredEvent } from '../../store/store.js';
import type { HandoffCard } from './handoff-card.js';
import { cardDayLog, LEGACY_CARDS_LOG, sessionLog, utcDay } from './logs.js';
import { closedLongAgo } from './sla.js';

export interface CardBookOptions {
  /** Several instances share the store: read a card again before acting on it. */
  readonly refresh: boolean;
  readonly now: () => Date;
}

/** What a change did: the fields it set (to their new values) and those it removed. */
export interface CardPatch {
  readonly set: Readonly<Record<string, unknown>>;
  readonly removed: readonly string[];
}

const DAY_MS = 24 * 3600_000;

export class CardBook {
  /** Alone: every card worth keeping, the truth. Shared: unused (the store is). */
  private readonly cards = new Map<string, HandoffCard>();
  /** Cards of the legacy log still worth keeping: what a session log's first patch applies to. */
  private readonly legacy = new Map<string, HandoffCard>();
  private listed: { readonly at: number; readonly cards: readonly HandoffCard[] } | null = null;

  private constructor(
    private readonly store: Store,
    private readonly opts: CardBookOptions,
  ) {}

  /** Reads the legacy log and the cards worth showing now. */
  static async open(store: Store, opts: CardBookOptions): Promise<CardBook> {
    const book = new CardBook(store, opts);
    const now = opts.now();
    for (const e of await store.read(LEGACY_CARDS_LOG)) if (e.kind === 'card') book.legacy.set(e.sessionId, cardOf(e));
    for (const [id, card] of book.legacy) if (closedLongAgo(card, now)) book.legacy.delete(id);
    if (!opts.refresh) for (const card of await book.readList(now)) book.cards.set(card.sessionId, card);
    return book;
  }

  /** The card as this instance should act on it now (shared: read again), or null when there is none. */
  async get(sessionId: string): Promise<HandoffCard | null> {
    return this.opts.refresh ? this.read(sessionId) : (this.cards.get(sessionId) ?? null);
  }

  /** The card as stored, even one closed long ago and gone from memory (a follow-up days after the case was resolved). */
  stored(sessionId: string): Promise<HandoffCard | null> {
    return this.read(sessionId);
  }

  /** A new handoff's card (a session handed off again gets a new one). */
  async add(card: HandoffCard): Promise<void> {
    if (!this.opts.refresh) this.cards.set(card.sessionId, card);
    const event: StoredEvent = { kind: 'card', at: this.opts.now().toISOString(), sessionId: card.sessionId, card: card as unknown as Record<string, unknown> };
    const log = sessionLog(card.sessionId);
    if (log === null) return;
    await this.store.append(log, event);
    await this.store.append(cardDayLog(utcDay(Date.parse(card.handedOffAt))), event);
  }

  /**
   * Changes a card: `change` is given the card as get() gives it and returns
   * the card changed, or null to change nothing (the change no longer
   * applies). Only the fields it changed are stored. Resolves with the card
   * changed, or null when there was no card or no change.
   */
  async change(sessionId: string, change: (card: HandoffCard) => HandoffCard | null): Promise<HandoffCard | null> {
    // Alone, read and set with nothing awaited between: two changes started together see each other.
    const before = this.opts.refresh ? await this.read(sessionId) : (this.cards.get(sessionId) ?? null);
    const after = before && change(before);
    if (!before || !after) return null;
    if (!this.opts.refresh) this.cards.set(sessionId, after);
    const { set, removed } = patchOf(before, after);
    const log = sessionLog(sessionId);
    if (log === null || (Object.keys(set).length === 0 && removed.length === 0)) return after;
    await this.store.append(log, { kind: 'card', at: this.opts.now().toISOString(), sessionId, card: set, patch: true, ...(removed.length > 0 ? { removed } : {}) });
    return after;
  }

  /** The cards worth showing: open handoffs, and those handed off in the last day. Shared: read from the store when older than `maxAgeMs`. */
  async list(maxAgeMs: number): Promise<readonly HandoffCard[]> {
    if (!this.opts.refresh) return [...this.cards.values()];
    if (this.listed && Date.now() - this.listed.at < maxAgeMs) return this.listed.cards;
    const at = Date.now();
    this.listed = { at, cards: await this.readList(this.opts.now()) };
    return this.listed.cards;
  }

  /** Cards whose stored text was taken out (forget-posts.ts): alone, memory takes them from the store again, so no later change writes the old text back. */
  async reread(sessionIds: ReadonlySet<string>): Promise<void> {
    this.listed = null;
    if (this.opts.refresh) return;
    for (const id of sessionIds) {
      if (!this.cards.has(id)) continue;
      const card = await this.read(id);
      if (card) this.cards.set(id, card);
      else this.cards.delete(id);
    }
  }

  /** Alone: cards closed over a day ago leave memory (they stay in the store). */
  forgetClosed(now: Date): void {
    for (const [id, card] of this.cards) if (closedLongAgo(card, now)) this.cards.delete(id);
  }

  private async readList(now: Date): Promise<HandoffCard[]> {
    const ids = new Set(this.legacy.keys());
    for (const c of await this.store.unfinished()) if (c.handoffAt !== null) ids.add(c.id);
    for (const day of new Set([utcDay(now.getTime() - DAY_MS), utcDay(now.getTime())])) {
      for (const e of await this.store.read(cardDayLog(day))) if (e.kind === 'card') ids.add(e.sessionId);
    }
    const cards = await Promise.all([...ids].map((id) => this.read(id)));
    return cards.filter((c): c is HandoffCard => c !== null && !closedLongAgo(c, now));
  }

  /** A card as stored: its session log folded onto the legacy card, if any. */
  private async read(sessionId: string): Promise<HandoffCard | null> {
    const log = sessionLog(sessionId);
    let card = this.legacy.get(sessionId) ?? null;
    if (log === null) return card;
    for (const e of await this.store.read(log)) {
      if (e.kind !== 'card') continue;
      if (!e.patch) card = cardOf(e);
      else if (card) card = applyPatch(card, { set: e.card, removed: e.removed ?? [] });
    }
    return card;
  }
}

/** A stored card, as this app wrote it (the store hands back what it was given). */
function cardOf(e: Extract<StoredEvent, { kind: 'card' }>): HandoffCard {
  return e.card as unknown as HandoffCard;
}

/** What `after` changed from `before`: the fields set to something else, and those it no longer has. */
export function patchOf(before: HandoffCard, after: HandoffCard): CardPatch {
  const was = before as unknown as Record<string, unknown>;
  const now = after as unknown as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (JSON.stringify(was[key]) === JSON.stringify(now[key])) continue;
    if (now[key] === undefined) removed.push(key);
    else set[key] = now[key];
  }
  return { set, removed };
}

/** The card with a patch applied. */
export function applyPatch(card: HandoffCard, patch: CardPatch): HandoffCard {
  const next: Record<string, unknown> = { ...(card as unknown as Record<string, unknown>), ...patch.set };
  for (const key of patch.removed) delete next[key];
  return next as unknown as HandoffCard;
}
