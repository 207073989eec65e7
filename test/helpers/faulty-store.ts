/** A Store that fails or waits where a test says (an append, a read) and otherwise passes every call to the real one: fault injection at the store seam. */
import type { Store, StoredEvent } from '../../src/bot/store/store.js';

export interface Faults {
  /** An error for this append, or null to let it through. */
  readonly append?: (conversationId: string, event: StoredEvent) => Error | null;
  /** An error for this read, or null to let it through. */
  readonly read?: (conversationId: string) => Error | null;
  /** Awaited before each append that is let through (a slow disk or database). */
  readonly beforeAppend?: (conversationId: string, event: StoredEvent) => Promise<void>;
}

export function withFaults(store: Store, faults: Faults): Store {
  return {
    append: async (id, event, opts) => {
      const err = faults.append?.(id, event) ?? null;
      if (err) throw err;
      await faults.beforeAppend?.(id, event);
      return store.append(id, event, opts);
    },
    read: (id) => {
      const err = faults.read?.(id) ?? null;
      return err ? Promise.reject(err) : store.read(id);
    },
    conversations: (query) => store.conversations(query),
    unfinished: () => store.unfinished(),
    redact: (id, change) => store.redact(id, change),
    close: () => store.close(),
    get problems() {
      return store.problems;
    },
    health: () => store.health(),
  };
}

/** A fault that strikes the first time `matches` holds, and never again. */
export function once<A extends unknown[]>(matches: (...args: A) => boolean, error: () => Error): (...args: A) => Error | null {
  let struck = false;
  return (...args) => {
    if (struck || !matches(...args)) return null;
    struck = true;
    return error();
  };
}

/** An I/O error as node reports one. */
export function ioError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
