/**
 * The embedded store's numbering of each conversation's messages: the last
 * number given, read from the conversation once (its first append since
 * start) and then kept, so numbering an append costs no read. A number is
 * taken and its record logged in one synchronous step by the store, so
 * messages are numbered in log order; concurrent first appends share one
 * read. Memory is bounded: past MAX_KEPT, numbers of conversations with no
 * append in flight are forgotten, oldest first, and read again when needed.
 */
import { lastMessageSeq, type StoredEvent } from './store.js';

/** Conversations whose last number is kept at most. */
const MAX_KEPT = 50_000;

export class MessageNumbers {
  private readonly last = new Map<string, number>();
  private readonly reading = new Map<string, Promise<number>>();
  /** Appends in flight per conversation: their records may not be readable yet, so their number must stay. */
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly read: (conversationId: string) => Promise<readonly StoredEvent[]>) {}

  /**
   * Starts an append: resolves once the conversation's last number is known
   * (at once when it is kept), and keeps it until `settled` is called, which
   * the caller must do however the append ends.
   */
  async known(id: string): Promise<void> {
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    if (this.last.has(id)) return;
    const last = await this.readLast(id).catch((err: unknown) => {
      this.settled(id);
      throw err;
    });
    // The first of several waiting appends sets it; the others find it set (and possibly moved on).
    if (!this.last.has(id)) this.last.set(id, last);
  }

  /** The last number given (call after `known`). */
  current(id: string): number {
    return this.last.get(id) ?? 0;
  }

  /** Takes the next number for a message (none for another event); returns the conversation's last number after it. */
  take(id: string, isMessage: boolean): number {
    const after = this.current(id) + (isMessage ? 1 : 0);
    this.last.set(id, after);
    return after;
  }

  /** The append begun with `known` is over (durable, failed or refused). */
  settled(id: string): void {
    const left = (this.inFlight.get(id) ?? 1) - 1;
    if (left > 0) this.inFlight.set(id, left);
    else this.inFlight.delete(id);
    if (this.last.size <= MAX_KEPT) return;
    for (const kept of this.last.keys()) {
      if (this.last.size <= MAX_KEPT * 0.8) return;
      if (!this.inFlight.has(kept)) this.last.delete(kept);
    }
  }

  private readLast(id: string): Promise<number> {
    let reading = this.reading.get(id);
    if (!reading) {
      reading = this.read(id).then(lastMessageSeq);
      const done = (): void => void this.reading.delete(id);
      reading.then(done, done);
      this.reading.set(id, reading);
    }
    return reading;
  }
}
