/**
 * What goes into the turn engine and what comes out, as types only: a
 * customer message or a server event in, messages, typing, status and
 * language changes out through the `Deliver` port. Channels, the desk and
 * the scripts share these without depending on the engine itself.
 */
import type { ChatStatus, Lang, QuickReply } from '../channels/web/protocol.js';

/** What a turn sends back to the customer's widget. */
export type Outbound =
  | { readonly kind: 'message'; readonly from: 'bot' | 'agent'; readonly text: string; readonly agent?: string; readonly quickReplies?: readonly QuickReply[] }
  | { readonly kind: 'typing' }
  | { readonly kind: 'status'; readonly status: ChatStatus; readonly position?: number; readonly agent?: string }
  /** The conversation is now in this language (the customer's): the widget switches its own labels. */
  | { readonly kind: 'lang'; readonly lang: Lang };

/** What comes in: a customer message, or an event the server raises for a session (welcome, end of chat, agent actions). */
export type Inbound =
  /** `contact`: what the leave-a-message form carried (a phone number or e-mail address given with consent). */
  | { readonly kind: 'message'; readonly text: string; readonly payload: string | null; readonly clientId: string; readonly contact?: string | null }
  | { readonly kind: 'event'; readonly name: string; readonly data?: Readonly<Record<string, unknown>> };

export type Deliver = (sessionId: string, out: Outbound) => Promise<void>;

/** channelData fields scripts set on a reply. */
export interface ReplyChannelData {
  readonly from?: 'agent';
  readonly agent?: string;
  readonly quick_replies?: readonly QuickReply[];
  readonly status?: ChatStatus;
  readonly position?: number;
  readonly lang?: Lang;
}

