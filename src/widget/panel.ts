/**
 * Everything the customer sees, inside the shadow root: the launcher with its
 * unread badge, and the chat panel (a non-modal dialog) with header buttons,
 * status line, message list, typing line, quick replies and the input.
 * It only shows things and reports what the customer did; the chat decides.
 * Its own labels follow the conversation's language live (`setStrings`).
 */
import type { QuickReply } from '../bot/channels/web/protocol.js';
import { el } from './dom.js';
import { MessageForm, type FormKind, type LeftMessageInput } from './message-form.js';
import { MessageList } from './message-list.js';
import { ACCEPT, type Files } from './files.js';
import type { Strings } from './strings.js';
import { STYLES } from './styles.js';

export interface PanelEvents {
  /** The customer sent text; returns whether it was taken (so the input can be cleared). */
  send(text: string): boolean;
  reply(reply: QuickReply): void;
  /** The customer sent the leave-a-message form. */
  leaveMessage(input: LeftMessageInput): void;
  /** The customer asked for the conversation by e-mail (`input.contact`, given with consent). */
  mailTranscript(input: LeftMessageInput): void;
  human(): void;
  end(): void;
  opened(): void;
  closed(): void;
  /** Files the customer picked, dropped on the panel or pasted. */
  attach(files: readonly File[]): void;
}

export interface PanelOptions {
  readonly strings: Strings;
  readonly title: string | null;
  readonly color: string | null;
  readonly files: Files;
  readonly position: 'left' | 'right';
  readonly offset: { readonly x: number; readonly y: number };
  readonly theme: 'light' | 'dark' | 'auto';
  /** The conversation's language, for times. */
  readonly lang: string;
}

export class Panel {
  readonly list: MessageList;
  private readonly launcher: HTMLButtonElement;
  private readonly badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
  private readonly dialog: HTMLElement;
  private readonly status = el('span', { class: 'status', role: 'status', hidden: '' });
  private readonly banner: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly replies: HTMLElement;
  private readonly notice = el('div', { class: 'notice', role: 'status', hidden: '' });
  private readonly input: HTMLTextAreaElement;
  private readonly endButton: HTMLButtonElement;
  private readonly launcherLabel = el('span', {});
  private readonly title = el('span', { id: 'tact-title' });
  private readonly humanButton = el('button', { type: 'button' });
  private readonly sendButton = el('button', { type: 'submit' });
  private readonly closeButton = el('button', { type: 'button', class: 'x' }, '×');
  private readonly attachButton = el('button', { type: 'button', class: 'attach' }, clipIcon());
  /** "E-mail me this conversation": shown once the server says it can send e-mail. */
  private readonly mailButton = el('button', { type: 'button', class: 'mail', hidden: '' }, mailIcon());
  private readonly picker = el('input', { type: 'file', accept: ACCEPT, multiple: '', hidden: '' });
  /** The host page's own title (data-title), kept whatever the language; null follows the strings. */
  private readonly fixedTitle: string | null;
  private unreadCount = 0;
  /** Set once the server refused this page: no label change may hide it. */
  private unavailable = false;
  /** The leave-a-message or transcript form while it is open (built when needed, removed when done). */
  private form: MessageForm | null = null;
  private readonly compose: HTMLFormElement;
  private s: Strings;

  constructor(
    root: ShadowRoot,
    options: PanelOptions,
    private readonly events: PanelEvents,
  ) {
    this.s = options.strings;
    this.fixedTitle = options.title;
    this.list = new MessageList(this.s, options.files, options.lang);
    this.launcher = el('button', { class: 'launcher', type: 'button', 'aria-haspopup': 'dialog' }, chatIcon(), this.launcherLabel, this.badge);
    this.endButton = el('button', { type: 'button', disabled: '' });
    this.banner = el('div', { class: 'banner', role: 'status', hidden: '' });
    this.typing = el('div', { class: 'typing', hidden: '' });
    this.replies = el('div', { class: 'replies', role: 'group', hidden: '' });
    this.input = el('textarea', { rows: '1' });
    this.compose = el('form', { class: 'compose' });
    this.dialog = this.buildDialog();
    const container = el('div', { class: `root ${options.position}`, 'data-theme': options.theme }, this.launcher, this.dialog);
    if (options.color !== null) container.style.setProperty('--accent', options.color);
    container.style.setProperty('--ox', `${options.offset.x}px`);
    container.style.setProperty('--oy', `${options.offset.y}px`);
    root.append(el('style', {}, STYLES), container);
    this.label();
    this.listen();
  }

  /** Shows every label of the widget in another language, at once (the conversation's language changed). */
  setStrings(strings: Strings, lang: string): void {
    this.s = strings;
    this.list.setStrings(strings, lang);
    this.label();
  }

  get isOpen(): boolean {
    return !this.dialog.hidden;
  }

  /** Opens the panel; `focus` false when it reopens by itself after a reload (the page keeps its focus). */
  open(focus = true): void {
    this.dialog.hidden = false;
    this.launcher.hidden = true;
    if (focus) this.input.focus();
    this.list.scrollToEnd();
    this.events.opened();
  }

  /** Closes the panel; focus goes back to the launcher if it was in the panel (a page calling Tact.close() keeps its own). */
  close(): void {
    const hadFocus = this.dialog.matches(':focus-within');
    this.dialog.hidden = true;
    this.launcher.hidden = false;
    if (hadFocus) this.launcher.focus();
    this.events.closed();
  }

  setUnread(count: number): void {
    this.unreadCount = count;
    this.badge.textContent = count === 0 ? '' : String(count);
    this.badge.hidden = count === 0;
    this.labelLauncher();
  }

  setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  /** A short message under the conversation (errors); empty hides it. */
  setNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
  }

  setConnected(connected: boolean): void {
    if (this.unavailable) return;
    this.banner.hidden = connected;
    this.endButton.disabled = !connected;
    if (!connected) this.showTyping(false);
  }

  /** The chat cannot work here: the banner says so for good, and nothing can be sent. */
  setUnavailable(text: string): void {
    this.unavailable = true;
    this.banner.textContent = text;
    this.banner.hidden = false;
    this.input.disabled = true;
    this.sendButton.disabled = true;
    this.attachButton.disabled = true;
  }

  showTyping(on: boolean): void {
    this.typing.hidden = !on;
  }

  showQuickReplies(replies: readonly QuickReply[]): void {
    this.replies.replaceChildren(...replies.map((r) => this.replyButton(r)));
    this.replies.hidden = replies.length === 0;
    // The buttons take room from the log: keep its newest message (the question they answer) in view.
    this.list.scrollToEnd();
  }

  /** Offers "e-mail me this conversation" in the header (the server can send e-mail), or stops offering it. */
  offerTranscript(on: boolean): void {
    this.mailButton.hidden = !on;
  }

  /** Shows the leave-a-message form, or the transcript's, in place of the input. */
  showMessageForm(kind: FormKind = 'message'): void {
    this.showQuickReplies([]);
    if (this.form?.kind !== kind) {
      this.form?.element.remove();
      const form = new MessageForm(this.s, kind, (input) => {
        this.hideMessageForm();
        if (input === null) return;
        if (kind === 'message') this.events.leaveMessage(input);
        else this.events.mailTranscript(input);
      });
      this.compose.before(form.element);
      this.form = form;
    }
    this.compose.hidden = true;
    this.form.open();
  }

  private hideMessageForm(): void {
    this.form?.element.remove();
    this.form = null;
    this.compose.hidden = false;
    this.input.focus();
  }

  /** Puts text back in the input (a message the server refused), unless the customer has started a new one. */
  restoreInput(text: string): void {
    if (this.input.value === '') this.input.value = text;
  }

  private buildDialog(): HTMLElement {
    const heading = el('h2', {}, this.title, this.status);
    this.humanButton.addEventListener('click', () => this.events.human());
    this.endButton.addEventListener('click', () => this.events.end());
    this.mailButton.addEventListener('click', () => this.showMessageForm('transcript'));
    this.closeButton.addEventListener('click', () => this.close());
    const compose = this.compose;
    this.attachButton.addEventListener('click', () => this.picker.click());
    this.picker.addEventListener('change', () => {
      this.attach(this.picker.files);
      this.picker.value = '';
    });
    compose.append(this.attachButton, this.picker, this.input, this.sendButton);
    compose.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    const head = el('div', { class: 'head' }, heading, this.mailButton, this.humanButton, this.endButton, this.closeButton);
    return el('div', { class: 'panel', role: 'dialog', 'aria-labelledby': 'tact-title', hidden: '' }, head, this.banner, this.list.element, this.typing, this.replies, this.notice, compose);
  }

  private labelLauncher(): void {
    const count = this.unreadCount;
    this.launcher.setAttribute('aria-label', count === 0 ? this.s.openChat : `${this.s.openChat} (${this.s.unread(count)})`);
  }

  /** Puts the current strings on every element that shows one of the widget's own labels. */
  private label(): void {
    const s = this.s;
    this.launcherLabel.textContent = s.launcher;
    this.labelLauncher();
    this.title.textContent = this.fixedTitle ?? s.title;
    this.humanButton.textContent = s.human;
    this.endButton.textContent = s.end;
    this.closeButton.setAttribute('aria-label', s.close);
    this.attachButton.setAttribute('aria-label', s.attach);
    this.attachButton.title = s.attach;
    this.mailButton.setAttribute('aria-label', s.transcript);
    this.mailButton.title = s.transcript;
    this.sendButton.textContent = s.send;
    if (!this.unavailable) this.banner.textContent = s.reconnecting;
    this.typing.textContent = s.typing;
    this.replies.setAttribute('aria-label', s.suggestions);
    this.input.placeholder = s.placeholder;
    this.input.setAttribute('aria-label', s.placeholder);
  }

  private listen(): void {
    this.launcher.addEventListener('click', () => this.open());
    this.dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    // A photo dropped anywhere on the panel, or pasted into the input (a screenshot), is sent like a picked one.
    this.dialog.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      this.dialog.classList.add('dropping');
    });
    this.dialog.addEventListener('dragleave', () => this.dialog.classList.remove('dropping'));
    this.dialog.addEventListener('drop', (e) => {
      this.dialog.classList.remove('dropping');
      if (!e.dataTransfer?.files.length) return;
      e.preventDefault();
      this.attach(e.dataTransfer.files);
    });
    this.input.addEventListener('paste', (e) => {
      if (!e.clipboardData?.files.length) return;
      e.preventDefault();
      this.attach(e.clipboardData.files);
    });
    this.input.addEventListener('keydown', (e) => {
      // Enter while an IME is composing picks a candidate (Chinese input); it must not send.
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
      e.preventDefault();
      this.submit();
    });
  }

  private attach(list: FileList | null): void {
    if (list && list.length > 0) this.events.attach(Array.from(list));
  }

  private submit(): void {
    if (this.events.send(this.input.value)) this.input.value = '';
    this.input.focus();
  }

  private replyButton(reply: QuickReply): HTMLButtonElement {
    const button = el('button', { type: 'button' }, reply.title);
    button.addEventListener('click', () => this.events.reply(reply));
    return button;
  }
}

function chatIcon(): SVGSVGElement {
  return icon('M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
}

function mailIcon(): SVGSVGElement {
  return icon('M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 14H4V8l8 5 8-5v10zm-8-7L4 6h16l-8 5z');
}

function clipIcon(): SVGSVGElement {
  return icon('M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5h-1.5v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z');
}

function icon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}
