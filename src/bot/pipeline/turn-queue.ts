/**
 * Turns of one conversation run one at a time, in arrival order, so a
 * dialog's state is never read and written by two turns at once;
 * conversations run in parallel with each other. The engine asks a
 * `TurnQueue` for that order: in one process, a chain of promises per
 * conversation; across instances, the same chain inside a lease that only
 * one instance holds at a time (see the scale-out notes in the README).
 */
export interface TurnQueue {
  /** Runs `turn` once every turn queued before it for the conversation has finished (whether it succeeded or not). */
  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T>;
  /** Resolves once every queued turn has finished (for shutdown). */
  idle(): Promise<void>;
}

/** The in-process queue: the last turn queued per conversation, which the next one waits for. */
export class LocalTurnQueue implements TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const result = previous.then(turn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(conversationId, tail);
    // Forgotten once nothing is queued behind it, so the map holds only conversations with a turn in flight.
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return result;
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  /** Conversations with a turn running or queued. */
  get busy(): number {
    return this.tails.size;
  }
}
