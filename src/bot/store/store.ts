/**
 * The storage interface: what channels and scripts persist about a
 * conversation, as an append-only log of events per conversation. One small
 * interface, so the lowdb implementation can be swapped (PostgreSQL later)
 * without touching a caller.
 *
 * `append` resolves only once the event is durable on disk: a channel that
 * acknowledges a customer's message after `append` never loses it to a crash.
 *
 * The store numbers each conversation's messages (`seq`, 1, 2, 3 …) as it
 * appends them, so every instance sharing a store agrees on the numbers and
 * the widget can ask for what came after the last one it shows. A number is
 * never given twice; a failed append may leave a gap, which readers allow.
 */
import type { Action } from '../core/decision.js';
import type { EmotionLevel, HandoffReason, Lang } from '../../kb/types.js';

export type Speaker = 'customer' | 'bot' | 'agent';

export interface StoredQuickReply {
  readonly title: string;
  readonly payload: string;
}

/** What happens to a handed-off conversation on the agents' side. */
export type AgentEventKind = 'joined' | 'away' | 'back' | 'returned' | 'resolved';

export type StoredEvent =
  | {
      readonly kind: 'message';
      readonly at: string;
      readonly from: Speaker;
      readonly text: string;
      /** The widget's own id of a customer message, so a re-sent message is recognised. */
      readonly id?: string;
      /** The agent's display name, on agent messages. */
      readonly agent?: string;
      readonly quickReplies?: readonly StoredQuickReply[];
      /** The quick-reply payload a customer message carried, so a turn re-run after a crash sees what was tapped. */
      readonly payload?: string;
      /** A phone number or e-mail address the customer gave with consent in the leave-a-message form. */
      readonly contact?: string;
      /** A photo or PDF sent with the message (its text may then be empty). */
      readonly file?: StoredFile;
      /** On a bot message: the widget id of the customer message whose turn said it (none for a greeting or an event's reply). */
      readonly turn?: string;
      /**
       * The message's number in its conversation, assigned by the store as it appends (whatever the caller set is replaced).
       * Messages stored before the store numbered them have none: they are numbered by their place (see messageSeqs).
       */
      readonly seq?: number;
    }
  /** The turn for customer message `id` has finished (answered, or handed to whoever has the conversation): its pending marker is cleared. */
  | { readonly kind: 'turn'; readonly at: string; readonly id: string }
  /** The pending turn of customer message `id` is being run again at startup (counted, so a turn that crashes the server every time is given up, not run forever). */
  | { readonly kind: 'rerun'; readonly at: string; readonly id: string }
  | { readonly kind: 'decision'; readonly at: string; readonly action: Action; readonly faqId: string | null; readonly handoffReason: HandoffReason | null; readonly confidence: number }
  | { readonly kind: 'session'; readonly at: string; readonly lang: Lang; readonly customerId: string | null; readonly name: string | null }
  /** Handed to a person: waiting in the queue for a live chat, or (`via: 'message'`) a message left for the team when nobody could take the chat. */
  | { readonly kind: 'handoff'; readonly at: string; readonly reason: HandoffReason; readonly team: string; readonly channel: string; readonly ticket: string; readonly details: Readonly<Record<string, string>>; readonly via?: 'queue' | 'message'; readonly case?: StoredCase }
  /** The customer no longer waits for a person: they cancelled the request, or ended the chat while queued. */
  | { readonly kind: 'withdrawn'; readonly at: string; readonly why: 'cancelled' | 'ended' }
  | { readonly kind: 'agent'; readonly at: string; readonly event: AgentEventKind; readonly agent: string }
  /** Botkit's dialog state under its key after a step (null: the state was deleted), so a dialog survives a restart. */
  | { readonly kind: 'dialog'; readonly at: string; readonly key: string; readonly state: Readonly<Record<string, unknown>> | null; readonly turn?: string }
  | { readonly kind: 'rating'; readonly at: string; readonly score: number; readonly comment: string | null }
  /** The Slack outbox's logs (`slack-outbox-<day>`, and `slack-outbox` before them; see channels/slack/outbox-log.ts): a call stored, then done or dropped. */
  | { readonly kind: 'outbox'; readonly at: string; readonly op: 'queued'; readonly item: StoredOutboxCall }
  | { readonly kind: 'outbox'; readonly at: string; readonly op: 'done'; readonly id: string; readonly rememberAs: string | null; readonly post: { readonly channel: string; readonly ts: string } | null }
  | { readonly kind: 'outbox'; readonly at: string; readonly op: 'dropped'; readonly id: string; readonly reason: string }
  /** The outbox's index (`slack-outbox-days`): a day's log may hold calls not yet done (live), or every call in it is done or dropped. */
  | { readonly kind: 'outbox'; readonly at: string; readonly op: 'segment'; readonly segment: string; readonly live: boolean }
  /** Where a session's handoff card was posted (in the session's Slack log, and in its channel's log of that day's posts). */
  | { readonly kind: 'outbox'; readonly at: string; readonly op: 'post'; readonly key: string; readonly post: { readonly channel: string; readonly ts: string } }
  /** An agent said they are on or off duty (conversation id `agent-duty`; see pipeline/presence.ts). */
  | { readonly kind: 'duty'; readonly at: string; readonly agent: string; readonly on: boolean }
  /**
   * An agent surface's view of a handoff (the Slack card), in its own log, so it survives a restart and every instance reads it:
   * the whole card, or (`patch`) only the fields one change set, and those it `removed` (see channels/slack/card-book.ts).
   */
  | { readonly kind: 'card'; readonly at: string; readonly sessionId: string; readonly card: Readonly<Record<string, unknown>>; readonly patch?: true; readonly removed?: readonly string[] }
  /**
   * The scheduler's logs (pipeline/scheduler.ts): in `tasks-<YYYYMM>`, a task due that month, then how it settled;
   * in `task-months`, a month's log announced (live) before its first task, and closed once every task in it settled.
   */
  | { readonly kind: 'task'; readonly at: string; readonly op: 'scheduled'; readonly task: StoredTask }
  | { readonly kind: 'task'; readonly at: string; readonly op: 'settled'; readonly id: string; readonly how: 'ran' | 'cancelled' }
  | { readonly kind: 'task'; readonly at: string; readonly op: 'month'; readonly month: string; readonly live: boolean }
  /**
   * The follow-up (回访) of a resolved complaint, in the customer's conversation: due (the scheduler's task ran), asked
   * in the chat, then answered (`solved`: yes, no, or null when the customer did not say).
   */
  | { readonly kind: 'followup'; readonly at: string; readonly op: 'due' | 'asked'; readonly task: string; readonly ticket: string }
  | { readonly kind: 'followup'; readonly at: string; readonly op: 'answered'; readonly task: string; readonly ticket: string; readonly solved: boolean | null }
  /** An e-mail sent to the customer (pipeline/customer-mail.ts): by which task, what, to whom (masked), and the last message it carried. */
  | { readonly kind: 'mail'; readonly at: string; readonly task: string; readonly what: MailKind; readonly to: string; readonly upTo: number }
  /**
   * The staff accounts (pipeline/staff.ts), in the `staff` log: a person added with a role and a password hash (never the
   * password), a new password, their sessions revoked, one session signed out, or the person removed.
   */
  | { readonly kind: 'staff'; readonly at: string; readonly op: 'added'; readonly name: string; readonly role: StaffRole; readonly hash: string }
  | { readonly kind: 'staff'; readonly at: string; readonly op: 'password'; readonly name: string; readonly hash: string }
  | { readonly kind: 'staff'; readonly at: string; readonly op: 'revoked' | 'removed'; readonly name: string }
  | { readonly kind: 'staff'; readonly at: string; readonly op: 'signed-out'; readonly name: string; readonly session: string }
  /** What a person did on the admin pages, in the `staff-audit` log (pipeline/staff-audit.ts): who, what, on which conversation; never the data itself. */
  | { readonly kind: 'audit'; readonly at: string; readonly who: string; readonly action: AuditAction; readonly conversation?: string; readonly ticket?: string; readonly subject?: string }
  /**
   * Customers' data (pipeline/privacy/): in a conversation, its personal data was taken out (`redacted`, by the retention
   * job or at the customer's request); in the `privacy-audit` log, who did what to how many conversations (never whose).
   */
  | { readonly kind: 'privacy'; readonly at: string; readonly op: 'redacted'; readonly why: RedactionReason }
  | { readonly kind: 'privacy'; readonly at: string; readonly op: 'audit'; readonly action: 'forget' | 'export' | 'retention'; readonly by: string; readonly conversations: number; readonly files: number };

export type StaffRole = 'editor' | 'agent' | 'admin';

/** Desk actions on a conversation, contact details revealed for a call-back, and changes to the staff accounts. */
export type AuditAction = 'reply' | 'return' | 'resolve' | 'duty-on' | 'duty-off' | 'reveal-contact' | 'staff-added' | 'staff-removed' | 'staff-password' | 'staff-revoked';

/** Why a conversation's personal data was taken out: it grew older than the retention period, or the customer asked. */
export type RedactionReason = 'retention' | 'request';

/** A photo or PDF sent in a conversation, as its message carries it (the bytes are in the FileStore, file-store.ts). */
export interface StoredFile {
  /** 22 random URL-safe characters: not guessable, and a file name on disk. */
  readonly id: string;
  readonly kind: 'image' | 'pdf';
  readonly mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  /** The name the customer's file had, cleaned for display (never a path). */
  readonly name: string;
  /** Bytes kept (after an image was rewritten). */
  readonly size: number;
  readonly width: number | null;
  readonly height: number | null;
  readonly at: string;
  /** Who sent it. */
  readonly from: 'customer' | 'agent';
}

/** A job with a time on it (pipeline/scheduler.ts). */
export type StoredJob =
  | { readonly kind: 'followup' | 'callback'; readonly sessionId: string; readonly ticket: string; readonly team: string }
  /** An e-mail to a customer who left an address with consent: the replies they missed, their follow-up question, or the conversation they asked for. */
  | MailJob
  /** The daily retention run (pipeline/retention.ts): conversations older than TACT_RETENTION_DAYS anonymised. */
  | { readonly kind: 'retention' };

/** The conversation asked for ends with the request (`upTo`, its message's number): what is said after it is not in it. */
export type MailJob = { readonly kind: 'mail'; readonly sessionId: string } & ({ readonly what: 'replies' | 'followup' } | { readonly what: 'transcript'; readonly upTo: number });

export type MailKind = MailJob['what'];

export interface StoredTask {
  readonly id: string;
  /** When it is due (ISO). */
  readonly due: string;
  readonly job: StoredJob;
}

/**
 * What agents were shown about a handoff (case-summary.ts), stored with it so
 * every surface that reads the store (the admin page) shows the same; every
 * text already masked. Handoffs stored before it existed have none.
 */
export interface StoredCase {
  readonly summary: string;
  readonly order: string | null;
  readonly answered: readonly string[];
  readonly emotion: EmotionLevel;
  readonly suggestedReply: string;
}

export interface StoredOutboxCall {
  readonly id: string;
  /** files.uploadV2: `args` names the conversation's file (conversation, file, filename), sent from the FileStore when the call is made. */
  readonly method: 'chat.postMessage' | 'chat.update' | 'chat.postEphemeral' | 'reactions.add' | 'files.uploadV2';
  readonly channel: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly threadOf?: string;
  readonly rememberAs?: string;
}

/**
 * A conversation that needs the server at startup: a handoff not yet closed
 * (returned to the bot or resolved), or customer messages stored (and so
 * acknowledged) whose turn never finished. The store keeps this index as
 * events are appended, so startup reads it instead of every conversation.
 */
export interface OpenConversation {
  readonly id: string;
  /** When the open handoff began (the handoff event's `at`), or null when none is open. */
  readonly handoffAt: string | null;
  /** Widget ids of customer messages whose turn has not finished, oldest first. */
  readonly pendingTurns: readonly string[];
}

/** What the server shows on /healthz and /metrics about its store. */
export interface StoreHealth {
  /**
   * `degraded`: a fold failed and is being retried, the log cannot be written (appends are refused, none acknowledged),
   * a conversation is quarantined, or damaged records were found and set aside; nothing acknowledged is lost by the store either way.
   */
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
  /** Conversations set aside because their file could not be read. */
  readonly quarantined: number;
  /** Folds that failed since start (each is retried before the next one). */
  readonly failedFolds: number;
}

export interface AppendOptions {
  /**
   * Optimistic concurrency: append only if the conversation's last message
   * is still number `expectedSeq` (0: it has none); otherwise reject with
   * STORE_CONFLICT and store nothing.
   */
  readonly expectedSeq?: number;
}

export interface ConversationQuery {
  readonly activeSince?: Date;
}

export interface Store {
  /**
   * Appends an event to a conversation's log; resolves once it is on disk,
   * with the conversation's last message number after it (for a message, its own number).
   */
  append(conversationId: string, event: StoredEvent, opts?: AppendOptions): Promise<number>;
  /** A conversation's events in the order they were appended (empty for an unknown conversation). */
  read(conversationId: string): Promise<readonly StoredEvent[]>;
  /**
   * Ids of stored conversations, in no particular order: every one, or with
   * `activeSince` those that may have had an event appended at or after it
   * (a store may include a few more, never fewer; readers check the events' times).
   */
  conversations(opts?: ConversationQuery): Promise<readonly string[]>;
  /** Conversations with an open handoff or an unfinished turn (see OpenConversation). */
  unfinished(): Promise<readonly OpenConversation[]>;
  /**
   * Rewrites a conversation's events in place, to take personal data out of
   * them (retention, a customer's request to be forgotten): every event
   * appended before the call is replaced by `change(event)`, which must keep
   * its kind (a message keeps its number whatever `change` sets). Once it
   * resolves the old content is gone from the storage itself (files, logs,
   * tables), not merely hidden. Resolves with how many events changed.
   * STORE_BAD_CHANGE, nothing rewritten, when `change` alters a kind.
   */
  redact(conversationId: string, change: (event: StoredEvent) => StoredEvent): Promise<number>;
  /** Flushes and releases the data directory. */
  close(): Promise<void>;
  /** Problems found and worked around since open (a damaged record or file set aside), each also logged when the store has a logger. */
  readonly problems: readonly string[];
  /** The store's state for /healthz and /metrics. */
  health(): StoreHealth;
}

/**
 * STORE_WRITE_FAILED: this append could not be written and nothing of it was kept (send it again).
 * STORE_UNWRITABLE: the log cannot be written at all right now; appends are refused until it can.
 * STORE_CONFLICT: `expectedSeq` was given and another message was appended first; nothing was stored.
 */
export type StoreErrorCode = 'STORE_CONFLICT' | 'STORE_LOCKED' | 'STORE_BAD_ID' | 'STORE_BAD_CHANGE' | 'STORE_CORRUPT' | 'STORE_CLOSED' | 'STORE_WRITE_FAILED' | 'STORE_UNWRITABLE';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Conversation ids become file names: only these characters, so no id can reach outside the data directory. */
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkConversationId(id: string): void {
  if (!CONVERSATION_ID.test(id)) throw new StoreError('STORE_BAD_ID', `conversation id ${JSON.stringify(id.slice(0, 80))} is not 1–64 letters, digits, - or _`);
}

type MessageEvent = Extract<StoredEvent, { kind: 'message' }>;

/**
 * Each message event of a conversation with its number: the one the store
 * gave it, or (stored before the store numbered messages) one more than
 * the message before. Every reader numbers messages through this.
 */
export function* numberedMessages(events: Iterable<StoredEvent>): Generator<{ readonly seq: number; readonly message: MessageEvent }> {
  let last = 0;
  for (const e of events) {
    if (e.kind !== 'message') continue;
    last = e.seq ?? last + 1;
    yield { seq: last, message: e };
  }
}

/**
 * `events` passed through a redaction's `change` (see Store.redact): the new
 * events, and which of them differ; STORE_BAD_CHANGE when a kind changed.
 * Shared by every implementation, so they agree on what a redaction may do.
 */
export function redacted(conversationId: string, events: readonly StoredEvent[], change: (event: StoredEvent) => StoredEvent): { readonly events: StoredEvent[]; readonly changed: boolean[] } {
  const out = events.map((e) => {
    const next = change(e);
    if (next.kind !== e.kind) throw new StoreError('STORE_BAD_CHANGE', `conversation ${conversationId}: a redaction turned a ${e.kind} event into a ${next.kind} event; nothing was rewritten`);
    return e.kind === 'message' && next.kind === 'message' ? { ...next, seq: e.seq } : next;
  });
  const changed = out.map((e, i) => JSON.stringify(e) !== JSON.stringify(events[i]));
  return { events: out, changed };
}

/** Stored conversations' events by id (every one, or those active since a time): for reports (the admin dashboard and gaps, `tact kb gaps`), never a hot path. */
export async function readConversations(store: Store, query: ConversationQuery = {}): Promise<Map<string, readonly StoredEvent[]>> {
  const out = new Map<string, readonly StoredEvent[]>();
  for (const id of await store.conversations(query)) out.set(id, await store.read(id));
  return out;
}

/** When an event happened, as a Date: its `at`, or `fallback` when that is not a time (a hand-edited record). */
export function eventTime(event: StoredEvent, fallback: Date): Date {
  const t = Date.parse(event.at);
  return Number.isNaN(t) ? fallback : new Date(t);
}

/** The number of a conversation's last message (0 when it has none). */
export function lastMessageSeq(events: Iterable<StoredEvent>): number {
  let last = 0;
  for (const { seq } of numberedMessages(events)) last = seq;
  return last;
}
