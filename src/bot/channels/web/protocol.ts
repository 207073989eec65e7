/**
 * The chat socket's protocol: JSON text frames on the WebSocket at /chat.
 * The widget and the server both build on these types; the server checks
 * every client frame with `parseClientFrame` before anything else sees it.
 *
 *   client                                   server
 *   hello {token?, lang?, identity?, after?}  → welcome {session, lang, status, position?, agent?, history, replyWithin?, transcripts?}
 *                                             (replyWithin: seconds a person has lately taken to join, for the header;
 *                                              transcripts: e-mail is set up, the widget may offer to mail the conversation)
 *   message {id, text, payload?, contact?, file?} → ack {id, seq}   (only once it is on disk)
 *                                             → typing, message {seq, from, text, …}, status
 *                                             → lang {lang}   (the conversation is now in the customer's language)
 *   identify {identity}                       → identified {verified}
 *   end                                       → (the survey starts)
 *   ping                                      → pong
 *
 * A page whose origin is not allowed (TACT_ALLOWED_ORIGINS) gets the socket
 * only to hear error FORBIDDEN_ORIGIN and a close with 4403: a browser cannot
 * read why an upgrade was refused, and the widget must not retry for ever.
 *
 * A hello without a valid token starts a new session, and one address may
 * start only so many: past that the server answers error TOO_MANY_SESSIONS
 * with `retryAfter` (seconds) and closes with 4430; the widget waits that long.
 *
 * The first frame must be hello. A token the server issued resumes that
 * session; anything else (none, forged, expired) starts a new one, so a socket
 * can only speak as, and hear, the session its token proves. `id` is the
 * widget's own id for a message: a message re-sent after a reconnect with an
 * id already stored is acknowledged again, never stored or answered twice.
 *
 * A photo or PDF is first uploaded over HTTP (POST /chat/files with the
 * session token, see file-routes.ts); the message then names it by the id
 * the upload returned (`file`), with a caption or empty text. Messages
 * carrying a file show it as `file` {id, kind, name, size, width?, height?},
 * fetched from GET /chat/files/<id> with the same token.
 *
 * The widget's leave-a-message form sends a message with payload
 * `leave_message`: `text` is what happened, `contact` a phone number or
 * e-mail address the customer agreed to give (absent without consent).
 * Its "e-mail me this conversation" form sends payload `transcript`, with
 * the address (given with consent) as `contact` and its request as `text`.
 *
 * Language: hello's `lang` is the page's, only a first guess for a new
 * session. The conversation's language is the customer's, from what they
 * write; the welcome carries it (so a reload shows the right labels at
 * once) and a `lang` frame says when it changes, before any reply in it.
 * A widget that does not know the `lang` frame drops it and carries on.
 */
export type Lang = 'zh' | 'en';

export function isLang(v: unknown): v is Lang {
  return v === 'zh' || v === 'en';
}

export interface IdentityClaim {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
}

export type ClientFrame =
  | { readonly type: 'hello'; readonly token: string | null; readonly lang: Lang | null; readonly identity: IdentityClaim | null; readonly after: number }
  | { readonly type: 'message'; readonly id: string; readonly text: string; readonly payload: string | null; readonly contact?: string; readonly file?: string }
  | { readonly type: 'identify'; readonly identity: IdentityClaim }
  | { readonly type: 'end' }
  | { readonly type: 'ping' };

/** Who has the conversation: the bot, the queue for a person, a person, or the team (a message left when nobody could take the chat). */
export type ChatStatus = 'bot' | 'queued' | 'agent' | 'message';

export interface QuickReply {
  readonly title: string;
  /** Sent back as the message's payload when the customer taps the button. */
  readonly payload: string;
}

/** A photo or PDF in the conversation, as the widget shows it (its bytes at GET /chat/files/<id>). */
export interface FileRef {
  readonly id: string;
  readonly kind: 'image' | 'pdf';
  readonly name: string;
  readonly size: number;
  readonly width?: number;
  readonly height?: number;
}

/** A message in the conversation, as the widget shows it. `seq` orders them and lets a reconnect ask for what it missed. */
export interface ChatMessage {
  readonly type: 'message';
  readonly seq: number;
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  readonly at: string;
  /** The agent's display name, on agent messages. */
  readonly agent?: string;
  readonly quickReplies?: readonly QuickReply[];
  /** The widget's id of a customer message (so a restored history can match its own pending messages). */
  readonly id?: string;
  readonly file?: FileRef;
}

export type ServerFrame =
  /** `position` while queued and `agent` while a person has the chat, so a reload shows the header as it was. */
  | { readonly type: 'welcome'; readonly session: string; readonly lang: Lang; readonly status: ChatStatus; readonly position?: number; readonly agent?: string; readonly history: readonly ChatMessage[]; readonly replyWithin?: number; readonly transcripts?: true }
  | { readonly type: 'ack'; readonly id: string; readonly seq: number }
  | ChatMessage
  | { readonly type: 'typing'; readonly on: boolean }
  | { readonly type: 'status'; readonly status: ChatStatus; readonly position?: number; readonly agent?: string }
  | { readonly type: 'lang'; readonly lang: Lang }
  | { readonly type: 'identified'; readonly verified: boolean }
  | { readonly type: 'error'; readonly code: FrameErrorCode; readonly message: string; readonly retryAfter?: number }
  | { readonly type: 'pong' };

export type FrameErrorCode = 'BAD_JSON' | 'BAD_FRAME' | 'NOT_READY' | 'TOO_LONG' | 'STORE_FAILED' | 'TOO_MANY_SESSIONS' | 'FORBIDDEN_ORIGIN';

/** Close codes the server uses (4000–4999 are the application's own). */
export const CLOSE = {
  /** The first frame was not a valid hello, or none came in time. */
  noHello: 4400,
  /** More frames than the per-socket rate allows. */
  flood: 4429,
  /** Too many new sessions from this address; the error frame before it says when to retry. */
  tooManySessions: 4430,
  /** The page's origin is not allowed to use the chat (TACT_ALLOWED_ORIGINS): trying again will not help. */
  forbiddenOrigin: 4403,
  /** The server is shutting down; reconnect later. */
  shutdown: 1001,
  /** Reconnect now: this server may have missed messages for the chat (instances were cut off from each other) and the reconnect fetches them. */
  catchUp: 1012,
  /** A frame larger than MAX_FRAME_BYTES (ws closes with this itself). */
  tooBig: 1009,
} as const;

/** Largest frame the server reads; ws closes the socket with 1009 beyond it. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Longest contact detail (phone number or e-mail address) the message form takes. */
export const MAX_CONTACT_CHARS = 200;
/** Longest customer message, in characters. */
export const MAX_TEXT_CHARS = 2000;
/** Most history messages a welcome carries. */
export const MAX_HISTORY = 200;

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An uploaded file's id, as the upload returned it. */
const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

export type ParsedFrame = { readonly ok: true; readonly frame: ClientFrame } | { readonly ok: false; readonly code: FrameErrorCode; readonly message: string };

/** Checks one raw frame from a client into a typed frame, or says exactly what is wrong with it. */
export function parseClientFrame(raw: string): ParsedFrame {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return bad('BAD_JSON', 'frame is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('BAD_FRAME', 'frame must be a JSON object');
  const f = data as Record<string, unknown>;
  switch (f['type']) {
    case 'hello':
      return hello(f);
    case 'message':
      return message(f);
    case 'identify': {
      const identity = identityOf(f['identity']);
      return identity ? { ok: true, frame: { type: 'identify', identity } } : bad('BAD_FRAME', 'identify.identity must be {id, name, hash} strings');
    }
    case 'end':
      return { ok: true, frame: { type: 'end' } };
    case 'ping':
      return { ok: true, frame: { type: 'ping' } };
    default:
      return bad('BAD_FRAME', `unknown frame type ${JSON.stringify(String(f['type']).slice(0, 40))}`);
  }
}

function hello(f: Record<string, unknown>): ParsedFrame {
  const { token, lang, identity, after } = f;
  if (token !== undefined && token !== null && typeof token !== 'string') return bad('BAD_FRAME', 'hello.token must be a string');
  if (lang !== undefined && lang !== null && !isLang(lang)) return bad('BAD_FRAME', 'hello.lang must be "zh" or "en"');
  if (after !== undefined && !(Number.isSafeInteger(after) && (after as number) >= 0)) return bad('BAD_FRAME', 'hello.after must be a whole number ≥ 0');
  const claim = identity === undefined || identity === null ? null : identityOf(identity);
  if (identity !== undefined && identity !== null && claim === null) return bad('BAD_FRAME', 'hello.identity must be {id, name, hash} strings');
  return { ok: true, frame: { type: 'hello', token: typeof token === 'string' ? token : null, lang: isLang(lang) ? lang : null, identity: claim, after: (after as number | undefined) ?? 0 } };
}

function message(f: Record<string, unknown>): ParsedFrame {
  const { id, text, payload, contact, file } = f;
  if (typeof id !== 'string' || !CLIENT_ID.test(id)) return bad('BAD_FRAME', 'message.id must be 1–64 letters, digits, - or _');
  if (file !== undefined && file !== null && (typeof file !== 'string' || !FILE_ID.test(file))) return bad('BAD_FRAME', 'message.file must be the id an upload returned');
  if (typeof text !== 'string') return bad('BAD_FRAME', 'message.text must be a string');
  if (text.length > MAX_TEXT_CHARS) return bad('TOO_LONG', `message.text is ${text.length} characters; the most is ${MAX_TEXT_CHARS}`);
  if (payload !== undefined && payload !== null && (typeof payload !== 'string' || payload.length > 200)) return bad('BAD_FRAME', 'message.payload must be a string of at most 200 characters');
  if (contact !== undefined && contact !== null && (typeof contact !== 'string' || contact.length > MAX_CONTACT_CHARS)) return bad('BAD_FRAME', `message.contact must be a string of at most ${MAX_CONTACT_CHARS} characters`);
  const given = typeof contact === 'string' && contact.trim() !== '' ? { contact: contact.trim() } : {};
  const attached = typeof file === 'string' ? { file } : {};
  return { ok: true, frame: { type: 'message', id, text, payload: typeof payload === 'string' ? payload : null, ...given, ...attached } };
}

function identityOf(v: unknown): IdentityClaim | null {
  if (typeof v !== 'object' || v === null) return null;
  const { id, name, hash } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' && typeof hash === 'string' ? { id, name, hash } : null;
}

function bad(code: FrameErrorCode, message: string): ParsedFrame {
  return { ok: false, code, message };
}
