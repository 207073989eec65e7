/**
 * What one instance tells the others on the delivery channel: "deliver this
 * item to conversation C's connections (not `origin`)". The channel is a
 * boundary like a socket: anything that can reach Redis can publish on it,
 * and an instance of another version may send what this one does not know.
 * So every message is checked here into a typed envelope, or refused with
 * the reason, before any socket sees it.
 */
import { CONVERSATION_ID } from '../store/store.js';
import type { ChatMessage, ChatStatus, Lang, QuickReply } from '../pipeline/turn-io.js';
import type { Delivered } from '../pipeline/deliver.js';

export interface Envelope {
  /** The publishing instance's id: an instance skips its own (it delivered them already). */
  readonly from: string;
  readonly conversationId: string;
  readonly item: Delivered;
  readonly origin?: string;
}

export type Opened = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly problem: string };

/** Far above any real item (a message is at most a few KB); a larger one is refused before parsing. */
export const MAX_ENVELOPE_CHARS = 64 * 1024;

const STATUSES: readonly ChatStatus[] = ['bot', 'queued', 'agent', 'message'];
const LANGS: readonly Lang[] = ['zh', 'en'];
const SENDERS: readonly ChatMessage['from'][] = ['customer', 'bot', 'agent'];

type Fields = Record<string, unknown>;

export function sealEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** Checks one message from the channel; `problem` names the field that is wrong. */
export function openEnvelope(raw: string): Opened {
  if (raw.length > MAX_ENVELOPE_CHARS) return refused(`is ${raw.length} characters; the most is ${MAX_ENVELOPE_CHARS}`);
  const data = json(raw);
  if (!isFields(data)) return refused('is not a JSON object');
  const { from, conversationId, origin } = data;
  if (typeof from !== 'string' || from === '') return refused('from must be an instance id');
  if (typeof conversationId !== 'string' || !CONVERSATION_ID.test(conversationId)) return refused('conversationId must be 1–64 letters, digits, - or _');
  if (origin !== undefined && typeof origin !== 'string') return refused('origin must be a string');
  const item = deliveredOf(data['item']);
  if (typeof item === 'string') return refused(`item${item}`);
  return { ok: true, envelope: { from, conversationId, item, ...(origin !== undefined ? { origin } : {}) } };
}

/** The item, or what is wrong with it (a string starting with the field's path). */
function deliveredOf(v: unknown): Delivered | string {
  if (!isFields(v)) return ' must be an object';
  switch (v['type']) {
    case 'message':
      return messageOf(v);
    case 'typing':
      return typeof v['on'] === 'boolean' ? { type: 'typing', on: v['on'] } : '.on must be true or false';
    case 'status':
      return statusOf(v);
    case 'lang':
      return isOneOf(v['lang'], LANGS) ? { type: 'lang', lang: v['lang'] } : '.lang must be "zh" or "en"';
    default:
      return `.type ${JSON.stringify(String(v['type']).slice(0, 40))} is not an item this instance delivers`;
  }
}

function messageOf(v: Fields): ChatMessage | string {
  const { seq, from, text, at, agent, quickReplies, id } = v;
  if (!isWhole(seq)) return '.seq must be a whole number ≥ 0';
  if (!isOneOf(from, SENDERS)) return '.from must be customer, bot or agent';
  if (typeof text !== 'string' || typeof at !== 'string') return '.text and .at must be strings';
  if (!isOptional(agent, isString) || !isOptional(id, isString)) return '.agent and .id must be strings when given';
  if (!isOptional(quickReplies, isQuickReplies)) return '.quickReplies must be [{title, payload}] strings';
  // Only the known fields are kept, so nothing unchecked rides along to the widget.
  const replies = quickReplies?.map((q) => ({ title: q.title, payload: q.payload }));
  return { type: 'message', seq, from, text, at, ...(agent !== undefined ? { agent } : {}), ...(replies !== undefined ? { quickReplies: replies } : {}), ...(id !== undefined ? { id } : {}) };
}

function statusOf(v: Fields): Delivered | string {
  const { status, position, agent } = v;
  if (!isOneOf(status, STATUSES)) return '.status must be bot, queued, agent or message';
  if (!isOptional(position, isWhole)) return '.position must be a whole number ≥ 0 when given';
  if (!isOptional(agent, isString)) return '.agent must be a string when given';
  return { type: 'status', status, ...(position !== undefined ? { position } : {}), ...(agent !== undefined ? { agent } : {}) };
}

function isQuickReplies(v: unknown): v is readonly QuickReply[] {
  return Array.isArray(v) && v.every((q) => isFields(q) && typeof q['title'] === 'string' && typeof q['payload'] === 'string');
}

function isOptional<T>(v: unknown, is: (v: unknown) => v is T): v is T | undefined {
  return v === undefined || is(v);
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function isOneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return allowed.some((a) => a === v);
}

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function json(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function refused(problem: string): Opened {
  return { ok: false, problem };
}
