/**
 * The widget's conversation logic: server frames in, view updates out, and
 * the customer's messages through the outbox to the socket. It decides
 * nothing about replies; it shows what the server says, in seq order.
 *
 * Session: the welcome's token is kept in localStorage and presented in every
 * hello, with `after` (the highest seq on screen), so a reconnect or a reload
 * gets exactly the messages it hasn't shown.
 *
 * Language: the page's (data-lang, <html lang>) is only the first guess. The
 * server says which language the conversation is in (the welcome, then a
 * `lang` frame whenever the customer's own messages change it); the widget
 * switches its labels at once and keeps the language in localStorage, so a
 * reload shows the right labels before it has even connected.
 */
import type { ChatMessage, ChatStatus, ClientFrame, FrameErrorCode, IdentityClaim, Lang, MAX_TEXT_CHARS as SERVER_MAX_TEXT, ServerFrame } from '../bot/channels/web/protocol.js';
import { backoffDelay } from './backoff.js';
import type { WidgetConfig } from './config.js';
import { Connection } from './connection.js';
import { Outbox, type Pending } from './outbox.js';
import { Files, precheck, type UploadError } from './files.js';
import { PageSignals } from './page-signals.js';
import type { FileRef } from '../bot/channels/web/protocol.js';
import { Panel } from './panel.js';
import { readStored, writeStored } from './storage.js';
import { STRINGS, type Strings } from './strings.js';

/** The server's limit, restated because the widget imports only types from the server; the type fails the build if they part. */
const MAX_TEXT_CHARS: typeof SERVER_MAX_TEXT = 2000;
const SESSION_KEY = 'tact.session';
/** Whether the panel was open, per tab: a reload reopens it as the customer left it. */
const OPEN_KEY = 'tact.open';
/** The conversation's language as the server last said, so a reload starts with the right labels. */
const LANG_KEY = 'tact.lang';
/** The payload of "talk to a person", so the server can tell the button from the same words typed. */
const HUMAN_PAYLOAD = 'human';
/** The payload of the bot's "leave a message" button: the widget opens its form instead of sending the button's title. */
const LEAVE_MESSAGE_PAYLOAD = 'leave_message';
/** The payload of "e-mail me this conversation" (the header's envelope button and its form). */
const TRANSCRIPT_PAYLOAD = 'transcript';

export type MessageHandler = (message: ChatMessage) => void;

/** Unacknowledged messages in flight at once: well under the server's burst of 20 frames per socket. */
const IN_FLIGHT = 5;

/** What the status line shows, kept so it can be said again in another language. */
interface StatusLine {
  readonly status: ChatStatus;
  readonly position: number | undefined;
  readonly agent: string | undefined;
}

export class Chat {
  private lang: Lang;
  private strings: Strings;
  private statusLine: StatusLine = { status: 'bot', position: undefined, agent: undefined };
  /** Seconds a person has lately taken to join (the welcome says), for the header while the bot has the chat. */
  private replyWithin: number | undefined;
  /** The notice shown now, as a function of the strings, so a change of language rephrases it. */
  private notice: ((s: Strings) => string) | null = null;
  private readonly panel: Panel;
  private readonly connection: Connection;
  private readonly outbox = new Outbox();
  /** Pending messages sent on the current socket and not yet acknowledged. */
  private readonly inFlight = new Set<string>();
  private readonly handlers = new Set<MessageHandler>();
  private identity: IdentityClaim | null = null;
  private unread = 0;
  /** Kept in memory too, so a page whose storage is refused still resumes its session on reconnect. */
  private token = readStored('localStorage', SESSION_KEY);
  /** The token sent in the latest hello, to tell a resumed session from a new one. */
  private sentToken: string | null = null;
  private welcomed = false;
  /** Store failures since the last ack, and the timer of the next re-send: the server asks for its own retries. */
  private failures = 0;
  private resend: ReturnType<typeof setTimeout> | undefined;
  /** Uploads wait for a session (the token proves which chat a file is for); told once the welcome comes. */
  private sessionWaiters: (() => void)[] = [];
  private readonly files: Files;
  private readonly signals: PageSignals;

  constructor(root: ShadowRoot, config: WidgetConfig) {
    this.lang = storedLang() ?? config.lang;
    this.strings = STRINGS[this.lang];
    this.files = new Files(config.filesUrl, () => this.token);
    this.signals = new PageSignals(config.sound);
    this.panel = new Panel(root, { strings: this.strings, title: config.title, color: config.color, files: this.files, position: config.position, offset: config.offset, theme: config.theme, lang: this.lang }, {
      attach: (files) => files.forEach((file) => void this.upload(file)),
      send: (text) => this.send(text),
      // "Leave a message" opens the form here; what the customer writes in it is what is sent.
      reply: (reply) => (reply.payload === LEAVE_MESSAGE_PAYLOAD ? this.panel.showMessageForm() : void this.send(reply.title, reply.payload)),
      leaveMessage: ({ what, contact }) => void this.send(what, LEAVE_MESSAGE_PAYLOAD, contact),
      mailTranscript: ({ what, contact }) => void this.send(what, TRANSCRIPT_PAYLOAD, contact),
      human: () => this.send(this.strings.human, HUMAN_PAYLOAD),
      end: () => this.connection.send({ type: 'end' }),
      opened: () => this.opened(),
      closed: () => writeStored('sessionStorage', OPEN_KEY, null),
    });
    this.connection = new Connection(config.socketUrl, {
      hello: () => this.hello(),
      frame: (frame) => this.receive(frame),
      down: () => this.panel.setConnected(false),
      refused: () => this.refused(),
    });
    for (const p of this.outbox.pending) this.panel.list.addPending(p.id, p.text, p.file);
    // A visitor who never opens the chat costs the server nothing; a returning one gets history and unread counts at once.
    if (this.token !== null || this.outbox.pending.length > 0) this.connection.start();
    if (readStored('sessionStorage', OPEN_KEY) === '1') this.panel.open(false);
  }

  open(): void {
    this.panel.open();
  }

  close(): void {
    this.panel.close();
  }

  /** Sends a customer message (queued while offline). Returns false, with a notice, for empty or too-long text. */
  send(text: string, payload: string | null = null, contact: string | null = null): boolean {
    if (text.trim() === '') return false;
    if (text.length > MAX_TEXT_CHARS) {
      this.setNotice((s) => s.tooLong(MAX_TEXT_CHARS));
      return false;
    }
    const pending = this.outbox.add(text, payload, contact);
    this.panel.list.addPending(pending.id, text);
    this.panel.showQuickReplies([]);
    this.setNotice(null);
    this.connection.start();
    this.pump();
    return true;
  }

  /**
   * Uploads a file and then sends it as a message (through the outbox, like text: re-sent until acknowledged).
   * Its bubble shows the progress, or why it was refused with a retry and a remove.
   */
  private async upload(file: File): Promise<void> {
    const bubble = this.panel.list.addUpload(file.name);
    const refused = precheck(file);
    const fail = (code: UploadError): void =>
      bubble.failed(this.strings.uploadError(code), [
        ...(code === 'NETWORK' || code === 'FAILED' || code === 'TOO_MANY_UPLOADS' ? [[this.strings.retry, () => (bubble.remove(), void this.upload(file))] as const] : []),
        [this.strings.remove, () => bubble.remove()],
      ]);
    if (refused !== null) return fail(refused);
    bubble.progress(this.strings.uploading(0));
    await this.session();
    try {
      const ref = await this.files.upload(file, (done) => bubble.progress(this.strings.uploading(Math.round(done * 100))));
      bubble.remove();
      this.sendFile(ref);
    } catch (err) {
      fail(err as UploadError);
    }
  }

  private sendFile(file: FileRef): void {
    const pending = this.outbox.add('', null, null, file);
    this.panel.list.addPending(pending.id, '', file);
    this.connection.start();
    this.pump();
  }

  /** Resolves once the server has welcomed this widget (now, if it has). */
  private session(): Promise<void> {
    if (this.welcomed && this.token !== null) return Promise.resolve();
    this.connection.start();
    return new Promise((resolve) => this.sessionWaiters.push(resolve));
  }

  /** Remembers who the customer is for every later hello, and tells the server now if connected. */
  identify(identity: IdentityClaim): void {
    this.identity = identity;
    this.connection.send({ type: 'identify', identity });
  }

  /** Calls `handler` with each new bot or agent message; returns the way to stop. */
  onMessage(handler: MessageHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private opened(): void {
    writeStored('sessionStorage', OPEN_KEY, '1');
    this.unread = 0;
    this.panel.setUnread(0);
    this.signals.unread(0);
    this.connection.start();
  }

  private hello(): ClientFrame {
    this.sentToken = this.token;
    return { type: 'hello', token: this.sentToken, lang: this.lang, identity: this.identity, after: this.panel.list.after };
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.setLang(frame.lang);
        return this.welcome(frame);
      case 'lang':
        return this.setLang(frame.lang);
      case 'ack':
        return this.acked(frame.id, frame.seq);
      case 'message':
        return this.show(frame, true);
      case 'typing':
        return this.panel.showTyping(frame.on);
      case 'status':
        return this.setStatus({ status: frame.status, position: frame.position, agent: frame.agent });
      case 'error':
        return this.error(frame.code);
      case 'identified':
      case 'pong':
        // Nothing to show: the server uses a verified name in its own replies, and any frame proves the socket alive.
        return;
    }
  }

  private welcome({ session, status, position, agent, history, replyWithin, transcripts }: Extract<ServerFrame, { type: 'welcome' }>): void {
    this.replyWithin = replyWithin;
    this.panel.offerTranscript(transcripts === true);
    if (this.sentToken !== null && sessionIdOf(session) !== sessionIdOf(this.sentToken)) this.panel.list.clearDelivered();
    // The first welcome after a load with a token restores what the customer already saw: not news, not unread.
    const restoring = !this.welcomed && this.sentToken !== null;
    this.welcomed = true;
    this.token = session;
    writeStored('localStorage', SESSION_KEY, session);
    for (const message of history) this.show(message, !restoring);
    this.setStatus({ status, position, agent });
    this.panel.setConnected(true);
    this.flush();
    for (const waiter of this.sessionWaiters.splice(0)) waiter();
  }

  /** Sends the pending messages again from the oldest (a new socket, or a retry); ones the server already has are only acknowledged again. */
  private flush(): void {
    this.inFlight.clear();
    this.pump();
  }

  /**
   * Sends pending messages in order, at most IN_FLIGHT unacknowledged at a time, the next as each ack comes.
   * A long offline queue then never trips the server's per-socket flood limit (and a reconnect loop with it).
   */
  private pump(): void {
    for (const pending of this.outbox.pending) {
      if (this.inFlight.size >= IN_FLIGHT) return;
      if (this.inFlight.has(pending.id)) continue;
      if (!this.connection.send(messageFrame(pending))) return;
      this.inFlight.add(pending.id);
    }
  }

  private acked(id: string, seq: number): void {
    this.outbox.remove(id);
    this.inFlight.delete(id);
    this.pump();
    this.panel.list.markSent(id, seq);
    if (this.failures === 0) return;
    this.failures = 0;
    this.setNotice(null);
  }

  /** The conversation is in `lang` now: every label switches, and a reload starts in it. */
  private setLang(lang: Lang): void {
    writeStored('localStorage', LANG_KEY, lang);
    if (lang === this.lang) return;
    this.lang = lang;
    this.strings = STRINGS[lang];
    this.panel.setStrings(this.strings, lang);
    this.setStatus(this.statusLine);
    this.setNotice(this.notice);
  }

  private setStatus(line: StatusLine): void {
    this.statusLine = line;
    this.panel.setStatus(this.statusText(line.status, line.position, line.agent));
  }

  /** A notice under the conversation in the current language; null hides it. */
  private setNotice(notice: ((s: Strings) => string) | null): void {
    this.notice = notice;
    this.panel.setNotice(notice === null ? '' : notice(this.strings));
  }

  private show(message: ChatMessage, fresh: boolean): void {
    if (message.from === 'customer' && message.id !== undefined) this.outbox.remove(message.id);
    if (!this.panel.list.add(message)) return;
    if (message.seq === this.panel.list.after) this.panel.showQuickReplies(message.quickReplies ?? []);
    if (message.from === 'customer') return;
    this.panel.showTyping(false);
    if (!fresh) return;
    if (!this.panel.isOpen) {
      this.panel.setUnread(++this.unread);
      this.signals.unread(this.unread);
      this.signals.chime();
    }
    // A microtask each, so a page handler that throws can't stop the widget mid-frame (or the other handlers).
    for (const handler of this.handlers) queueMicrotask(() => handler(message));
  }

  private error(code: FrameErrorCode): void {
    switch (code) {
      case 'TOO_LONG':
        return this.refuseNewest();
      case 'STORE_FAILED':
        return this.retryLater();
      case 'FORBIDDEN_ORIGIN':
        // The page's owner needs to know; the customer needs to know not to wait.
        console.error(`Tact: the chat server refuses this page's origin (${location.origin}); add it to TACT_ALLOWED_ORIGINS on the server.`);
        return;
      case 'TOO_MANY_SESSIONS':
        // The connection waits as long as the server asked before it tries again.
        return this.setNotice((s) => s.busy);
      case 'BAD_JSON':
      case 'BAD_FRAME':
      case 'NOT_READY':
        return this.setNotice((s) => s.failed);
    }
  }

  /** This page may not use the chat: say so plainly instead of "reconnecting" for ever. */
  private refused(): void {
    this.panel.setUnavailable(this.strings.unavailable);
  }

  /**
   * The server refused a message as too long (its limit must be lower than ours). Errors carry no id, but the
   * server checks length the moment a frame arrives, so the refused one is the newest sent.
   */
  private refuseNewest(): void {
    const newest = this.outbox.pending[this.outbox.pending.length - 1];
    if (newest !== undefined) {
      this.outbox.remove(newest.id);
      this.panel.list.removePending(newest.id);
      this.panel.restoreInput(newest.text);
    }
    this.setNotice((s) => s.tooLong(MAX_TEXT_CHARS));
  }

  /** The server could not store a message. It stays pending and is sent again after a backoff, on the same socket. */
  private retryLater(): void {
    this.setNotice((s) => s.notDelivered);
    if (this.resend !== undefined) return;
    this.resend = setTimeout(() => {
      this.resend = undefined;
      this.flush();
    }, backoffDelay(this.failures++));
  }

  private statusText(status: ChatStatus, position: number | undefined, agent: string | undefined): string {
    switch (status) {
      case 'bot':
        return this.replyWithin === undefined ? '' : this.strings.replyHint(Math.max(1, Math.ceil(this.replyWithin / 60)));
      case 'queued':
        return position === undefined ? this.strings.queued : this.strings.queuedAt(position);
      case 'agent':
        return agent ? this.strings.agentNamed(agent) : this.strings.agentJoined;
      case 'message':
        return this.strings.messageLeft;
    }
  }
}

function messageFrame(p: Pending): ClientFrame {
  return { type: 'message', id: p.id, text: p.text, payload: p.payload, ...(p.contact ? { contact: p.contact } : {}), ...(p.file ? { file: p.file.id } : {}) };
}

function storedLang(): Lang | null {
  const stored = readStored('localStorage', LANG_KEY);
  return stored === 'zh' || stored === 'en' ? stored : null;
}

/** Tokens are `<session id>.<expiry>.<signature>`: a refreshed token for the same session keeps the id. */
function sessionIdOf(token: string): string {
  return token.split('.')[0] ?? token;
}
