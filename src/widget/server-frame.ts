/**
 * Checks each frame from the server into a typed ServerFrame at the socket,
 * so nothing past this point handles raw JSON. A frame that doesn't fit is
 * dropped (null): a newer server may send things this widget doesn't know.
 */
import type { ChatMessage, ChatStatus, FileRef, FrameErrorCode, Lang, QuickReply, ServerFrame } from '../bot/channels/web/protocol.js';

type Fields = Record<string, unknown>;

const STATUSES: readonly ChatStatus[] = ['bot', 'queued', 'agent', 'message'];
const LANGS: readonly Lang[] = ['zh', 'en'];
const SENDERS: readonly ChatMessage['from'][] = ['customer', 'bot', 'agent'];
const ERROR_CODES: readonly FrameErrorCode[] = ['BAD_JSON', 'BAD_FRAME', 'NOT_READY', 'TOO_LONG', 'STORE_FAILED', 'TOO_MANY_SESSIONS', 'FORBIDDEN_ORIGIN'];

export function parseServerFrame(raw: unknown): ServerFrame | null {
  const f = typeof raw === 'string' ? json(raw) : null;
  if (!isFields(f)) return null;
  switch (f['type']) {
    case 'welcome':
      return welcome(f);
    case 'ack':
      return typeof f['id'] === 'string' && isSeq(f['seq']) ? { type: 'ack', id: f['id'], seq: f['seq'] } : null;
    case 'message':
      return messageOf(f);
    case 'typing':
      return { type: 'typing', on: f['on'] === true };
    case 'status':
      return isOneOf(f['status'], STATUSES) ? { type: 'status', status: f['status'], position: whole(f['position']), agent: text(f['agent']) } : null;
    case 'lang':
      return isOneOf(f['lang'], LANGS) ? { type: 'lang', lang: f['lang'] } : null;
    case 'identified':
      return { type: 'identified', verified: f['verified'] === true };
    case 'error':
      return isOneOf(f['code'], ERROR_CODES) ? { type: 'error', code: f['code'], message: text(f['message']) ?? '', retryAfter: whole(f['retryAfter']) } : null;
    case 'pong':
      return { type: 'pong' };
    default:
      return null;
  }
}

function welcome(f: Fields): ServerFrame | null {
  const { session, status, history } = f;
  if (typeof session !== 'string' || !isOneOf(status, STATUSES) || !Array.isArray(history)) return null;
  const messages = history.map(messageOf).filter((m): m is ChatMessage => m !== null);
  return { type: 'welcome', session, lang: f['lang'] === 'zh' ? 'zh' : 'en', status, position: whole(f['position']), agent: text(f['agent']), history: messages, replyWithin: whole(f['replyWithin']), transcripts: f['transcripts'] === true ? true : undefined };
}

function messageOf(v: unknown): ChatMessage | null {
  if (!isFields(v) || !isSeq(v['seq']) || !isOneOf(v['from'], SENDERS) || typeof v['text'] !== 'string') return null;
  const replies = Array.isArray(v['quickReplies']) ? v['quickReplies'].filter(isQuickReply) : undefined;
  return { type: 'message', seq: v['seq'], from: v['from'], text: v['text'], at: text(v['at']) ?? '', agent: text(v['agent']), quickReplies: replies, id: text(v['id']), file: fileOf(v['file']) };
}

/** A file the server names: an id the upload route knows, and what to show while it loads. */
export function fileOf(v: unknown): FileRef | undefined {
  if (!isFields(v) || typeof v['id'] !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(v['id']) || (v['kind'] !== 'image' && v['kind'] !== 'pdf') || !isSeq(v['size'])) return undefined;
  return { id: v['id'], kind: v['kind'], name: text(v['name']) ?? '', size: v['size'], width: whole(v['width']), height: whole(v['height']) };
}

function isQuickReply(v: unknown): v is QuickReply {
  return isFields(v) && typeof v['title'] === 'string' && typeof v['payload'] === 'string';
}

function json(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isOneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return allowed.some((a) => a === v);
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function whole(v: unknown): number | undefined {
  return isSeq(v) ? v : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
