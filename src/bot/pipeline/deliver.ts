/**
 * The pipeline's way out to the customer. A message is stored first (the
 * store numbers it), then handed to the `Delivery` port, which carries it to
 * every connection of that conversation: this server's sockets, the
 * terminal, or (several instances) whichever instance holds the customer.
 * Channels only carry what they are given: they never number or store a
 * message, so every instance and every reconnect agrees on what was said.
 *
 * A customer's own message comes in the same way (`accept`): stored, then
 * shown on the customer's other connections (tabs), not on the one that
 * sent it, which gets its acknowledgement from its channel.
 */
import type { Speaker, StoredFile } from '../store/store.js';
import { fileRef } from './attachments.js';
import type { ChatSession, SessionBook, StoredMessage } from './sessions.js';
import type { ChatMessage, Outbound } from './turn-io.js';

/** What reaches a customer's connections. */
export type Delivered =
  | ChatMessage
  | { readonly type: 'typing'; readonly on: boolean }
  | { readonly type: 'status'; readonly status: Extract<Outbound, { kind: 'status' }>['status']; readonly position?: number; readonly agent?: string }
  | { readonly type: 'lang'; readonly lang: Extract<Outbound, { kind: 'lang' }>['lang'] };

export interface Delivery {
  /**
   * Carries an item to every connection of the conversation, except
   * `origin` (the connection a customer message came from). Never throws:
   * a connection that cannot take it is the channel's to close.
   */
  send(conversationId: string, item: Delivered, origin?: string): void;
}

/** A customer message as a channel received it. */
export interface CustomerText {
  readonly text: string;
  /** The channel's own id for it (the widget's), so a re-send is recognised. */
  readonly id: string;
  readonly payload: string | null;
  readonly contact?: string | null;
  /** A photo or PDF sent with it, already kept in the conversation's files (attachments.ts). */
  readonly file?: StoredFile | null;
}

export class Outlet {
  constructor(
    private readonly sessions: SessionBook,
    private readonly delivery: Delivery,
    private readonly now: () => Date,
  ) {}

  /** The turn engine's `Deliver` port: a message is stored, then delivered; the rest is delivered as it is. */
  readonly deliver = async (sessionId: string, out: Outbound): Promise<void> => {
    switch (out.kind) {
      case 'typing':
        return this.delivery.send(sessionId, { type: 'typing', on: true });
      case 'lang':
        return this.delivery.send(sessionId, { type: 'lang', lang: out.lang });
      case 'status':
        return this.delivery.send(sessionId, { type: 'status', status: out.status, ...(out.position !== undefined ? { position: out.position } : {}), ...(out.agent ? { agent: out.agent } : {}) });
      case 'message': {
        // A session dropped from memory meanwhile (idle, over the cap) is loaded again from the store.
        const session = this.sessions.get(sessionId) ?? (await this.sessions.load(sessionId, 'zh'));
        const extra = { ...(out.from === 'agent' ? { agent: out.agent ?? '' } : {}), ...(out.quickReplies ? { quickReplies: out.quickReplies } : {}), ...(out.file ? { file: out.file } : {}) };
        await this.store(session, { from: out.from, text: out.text, ...extra });
        return;
      }
    }
  };

  /**
   * Stores a customer message and shows it on the customer's other
   * connections. A re-sent one (its id already stored) is not stored or
   * shown again: it comes back with `fresh: false` and its number. Rejects
   * when the store cannot keep it (nothing acknowledged, nothing shown).
   */
  accept(session: ChatSession, message: CustomerText, origin: string): Promise<StoredMessage> {
    const extra = { ...(message.payload !== null ? { payload: message.payload } : {}), ...(typeof message.contact === 'string' ? { contact: message.contact } : {}), ...(message.file ? { file: message.file } : {}) };
    return this.store(session, { from: 'customer', text: message.text, id: message.id, ...extra }, origin);
  }

  private async store(session: ChatSession, m: { readonly from: Speaker; readonly text: string; readonly id?: string; readonly agent?: string; readonly quickReplies?: ChatMessage['quickReplies']; readonly payload?: string; readonly contact?: string; readonly file?: StoredFile }, origin?: string): Promise<StoredMessage> {
    const at = this.now().toISOString();
    const stored = await this.sessions.storeMessage(session, { kind: 'message', at, ...m });
    if (!stored.fresh) return stored;
    const shown = { type: 'message' as const, seq: stored.seq, from: m.from, text: m.text, at, ...(m.agent !== undefined ? { agent: m.agent } : {}), ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}), ...(m.id !== undefined ? { id: m.id } : {}), ...(m.file ? { file: fileRef(m.file) } : {}) };
    this.delivery.send(session.id, shown, origin);
    return stored;
  }
}
