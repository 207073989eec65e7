/**
 * Botkit's dialog state, kept with the conversation: a dialog waiting for an
 * answer (the complaint intake's third question, the survey's score) is
 * still waiting after a restart. Botbuilder writes state only when it
 * changed, so this costs one stored event per dialog step and nothing on
 * ordinary turns. Sessions evicted from memory take their dialog state with
 * them; it comes back from the store with the session.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { Store } from '../store/store.js';
import type { ChatSession, SessionBook } from './sessions.js';

/**
 * Botkit's state key is "<channel>/conversations/personal-<id>-false-<user id>/<namespace>", and the user id is
 * the session id: exactly 22 characters before the last slash. (A looser pattern took "<id>-false-<id>" for the id
 * and kept a second, phantom session in memory and on disk for every chat.)
 */
const SESSION_IN_KEY = /-([A-Za-z0-9_-]{22})\/[^/]*$/;

export class DialogStorage implements Storage {
  constructor(
    private readonly sessions: SessionBook,
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const session = await this.sessionFor(key);
      const state = session?.dialogs.get(key);
      if (state !== undefined) items[key] = structuredClone(state);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, value] of Object.entries(changes)) {
      const session = await this.sessionFor(key);
      if (!session) continue;
      const state = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
      delete state['eTag'];
      session.dialogs.set(key, state);
      await this.store.append(session.id, { kind: 'dialog', at: this.now().toISOString(), key, state, ...(session.turnInProgress !== null ? { turn: session.turnInProgress } : {}) });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const session = await this.sessionFor(key);
      if (!session?.dialogs.delete(key)) continue;
      await this.store.append(session.id, { kind: 'dialog', at: this.now().toISOString(), key, state: null, ...(session.turnInProgress !== null ? { turn: session.turnInProgress } : {}) });
    }
  }

  private async sessionFor(key: string) {
    const id = SESSION_IN_KEY.exec(key)?.[1];
    return id ? this.sessions.load(id, 'zh') : null;
  }
}

/**
 * Whether a dialog is waiting for the customer's answer in this session (a
 * stored dialog stack that is not empty): the survey after the end of a chat
 * has finished once this is false again.
 */
export function dialogWaiting(session: Pick<ChatSession, 'dialogs'>): boolean {
  for (const state of session.dialogs.values()) {
    const stack = (state['dialogState'] as { dialogStack?: unknown } | undefined)?.dialogStack;
    if (Array.isArray(stack) && stack.length > 0) return true;
  }
  return false;
}
