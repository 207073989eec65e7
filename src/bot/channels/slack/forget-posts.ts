/**
 * What Slack's side of Tact keeps about conversations whose personal data
 * is taken out (retention, a customer's request to be forgotten): the
 * stored cards (`slack-card-<session>`, the day lists, the legacy log) and
 * the stored calls to Slack (the outbox's day logs: relayed messages, card
 * posts, file uploads) lose their text, and, at the customer's request, the
 * handoff card and every thread reply Tact posted for it (those the outbox
 * recorded a timestamp of) are edited in Slack to say so, through the outbox
 * (sent now by a running server's outbox; stored by the CLI, and sent by the
 * sender when it next reads the log). Posts agents wrote themselves are
 * theirs to delete in Slack.
 */
import { anonymised, REMOVED } from '../../core/anonymise.js';
import type { RedactionReason, Store, StoredEvent, StoredOutboxCall } from '../../store/store.js';
import { sessionLog } from './logs.js';
import type { SlackPost } from './post-book.js';

/** What the card in Slack says once the customer asked to be forgotten (staff-facing). */
export const FORGOTTEN_NOTE = 'This conversation was removed at the customer’s request.';
/** Card fields that carry what the customer said or who they are. */
const PERSONAL_CARD_FIELDS: Readonly<Record<string, unknown>> = { customer: null, summary: REMOVED, order: null, answered: [], suggestedReply: REMOVED, liveSuggestion: REMOVED, held: null };

/** Stores (and, through a running outbox, sends) one call to Slack. */
export type SlackSend = (call: Omit<StoredOutboxCall, 'id'>) => Promise<void>;

/** Takes the sessions' text out of every Slack log; at the customer's request, edits their posts in Slack. Resolves with how many posts are edited. */
export async function forgetInSlack(store: Store, sessions: ReadonlySet<string>, why: RedactionReason, send: SlackSend | null): Promise<number> {
  if (sessions.size === 0) return 0;
  const posts = new Map<string, SlackPost>();
  for (const log of await store.conversations()) {
    if (!log.startsWith('slack-')) continue;
    const events = await store.read(log);
    for (const post of postsMade(events, sessions)) posts.set(`${post.channel} ${post.ts}`, post);
    if (events.some((e) => concerns(e, sessions))) await store.redact(log, (e) => (concerns(e, sessions) ? withoutText(e) : e));
  }
  if (why !== 'request' || send === null) return 0;
  for (const session of sessions) {
    const post = await cardPost(store, session);
    if (post) posts.set(`${post.channel} ${post.ts}`, post);
  }
  for (const post of posts.values()) await send({ method: 'chat.update', channel: post.channel, args: { ts: post.ts, text: FORGOTTEN_NOTE, blocks: [] } });
  return posts.size;
}

/** The posts an outbox log says Slack made for the sessions' calls (messages in their threads, their cards). */
function postsMade(events: readonly StoredEvent[], sessions: ReadonlySet<string>): SlackPost[] {
  const calls = new Set(events.flatMap((e) => (e.kind === 'outbox' && e.op === 'queued' && e.item.method === 'chat.postMessage' && concerns(e, sessions) ? [e.item.id] : [])));
  return events.flatMap((e) => (e.kind === 'outbox' && e.op === 'done' && e.post && calls.has(e.id) ? [e.post] : []));
}

/** Whether a Slack log's event carries something of one of the sessions. */
function concerns(e: StoredEvent, sessions: ReadonlySet<string>): boolean {
  if (e.kind === 'card') return sessions.has(e.sessionId);
  if (e.kind !== 'outbox' || e.op !== 'queued') return false;
  const { threadOf, rememberAs, args } = e.item;
  return (threadOf !== undefined && sessions.has(threadOf)) || (rememberAs !== undefined && sessions.has(rememberAs)) || (typeof args['conversation'] === 'string' && sessions.has(args['conversation']));
}

function withoutText(e: StoredEvent): StoredEvent {
  if (e.kind === 'card') {
    const card = Object.fromEntries(Object.entries(e.card).map(([k, v]) => [k, k in PERSONAL_CARD_FIELDS ? PERSONAL_CARD_FIELDS[k] : v]));
    return { ...e, card };
  }
  if (e.kind === 'outbox' && e.op === 'queued') {
    const { args } = e.item;
    // Only what Slack needs to find its target stays: which post, which file of which conversation.
    const kept = Object.fromEntries(['ts', 'conversation', 'file'].filter((k) => typeof args[k] === 'string').map((k) => [k, args[k]]));
    const file = typeof args['filename'] === 'string' ? { filename: REMOVED, title: REMOVED } : {};
    return { ...e, item: { ...e.item, args: { ...kept, ...file, text: FORGOTTEN_NOTE } } };
  }
  return anonymised(e);
}

/** Where the session's handoff card was posted, from its own Slack log. */
async function cardPost(store: Store, session: string): Promise<SlackPost | null> {
  const log = sessionLog(session);
  if (log === null) return null;
  let post: { channel: string; ts: string } | null = null;
  for (const e of await store.read(log)) if (e.kind === 'outbox' && e.op === 'post') post = { ...e.post };
  return post;
}
