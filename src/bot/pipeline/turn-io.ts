/**
 * What goes into the turn engine and what comes out, as types only: a
 * customer message or a server event in, messages, typing, status and
 * language changes out through the `Deliver` port. Channels, the desk and
 * the scripts share these without depending on the engine itself.
 */
import type { ChatStatus, Lang, QuickReply } from '../channels/web/protocol.js';
import type { StoredFile } from '../store/store.js';

/** The wire vocabulary the widget shares (channels/web/protocol.ts, which the widget compiles alone), named once here for the rest of the server. */
export type { ChatMessage, ChatStatus, FileRef, Lang, QuickReply } from '../channels/web/protocol.js';

/** What a turn sends back to the customer's widget. */
export type Outbound =
  | { readonly kind: 'message'; readonly from: 'bot' | 'agent'; readonly text: string; readonly agent?: string; readonly quickReplies?: readonly QuickReply[]; readonly file?: StoredFile }
  | { readonly kind: 'typing' }
  | { readonly kind: 'status'; readonly status: ChatStatus; readonly position?: number; readonly agent?: string }
  /** The conversation is now in this language (the customer's): the widget switches its own labels. */
  | { readonly kind: 'lang'; readonly lang: Lang };

/** An agent's move on a handed-off conversation, as the desk raises it. */
export type AgentMove = 'agent_joined' | 'agent_away' | 'agent_back' | 'agent_returned' | 'agent_resolved';

/** What the server raises for a session: the chat opened or ended, the queue moved, the desk acted. Each name carries its own data. */
export type ServerEvent =
  /** `returned`: a customer came back to a chat they had before (a reload, a later visit); `followup`: a resolved complaint's follow-up came due. */
  | { readonly kind: 'event'; readonly name: 'welcome' | 'returned' | 'end' | 'unstaffed' | 'followup' }
  /** The customer's place in the queue; `remind`: another interval passed (said), else the place moved (the header only). */
  | { readonly kind: 'event'; readonly name: 'holding'; readonly data: { readonly position: number; readonly waitSeconds: number; readonly remind: boolean } }
  | { readonly kind: 'event'; readonly name: AgentMove; readonly data: { readonly agent: string } }
  | { readonly kind: 'event'; readonly name: 'agent_message'; readonly data: { readonly agent: string; readonly text: string; readonly file?: StoredFile } };

export type ServerEventName = ServerEvent['name'];
type DataOf<N, E> = E extends { readonly name: infer M; readonly data: infer D } ? (N extends M ? D : never) : never;
/** The data an event of this name carries (never for an event that carries none). */
export type EventData<N extends ServerEventName> = DataOf<N, ServerEvent>;

/** What comes in: a customer message, or an event the server raises for a session. */
export type Inbound =
  /** `contact`: what the leave-a-message form carried (a phone number or e-mail address given with consent). */
  | { readonly kind: 'message'; readonly text: string; readonly payload: string | null; readonly clientId: string; readonly contact?: string | null; readonly file?: StoredFile | null }
  | ServerEvent;

export type Deliver = (sessionId: string, out: Outbound) => Promise<void>;

/** channelData fields scripts set on a reply. */
export interface ReplyChannelData {
  readonly from?: 'agent';
  readonly agent?: string;
  readonly quick_replies?: readonly QuickReply[];
  readonly status?: ChatStatus;
  readonly position?: number;
  readonly lang?: Lang;
  /** A file an agent sends the customer (already kept in the conversation's files). */
  readonly file?: StoredFile;
}

