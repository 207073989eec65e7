/**
 * The conversation on screen (role="log"): one bubble per message, in seq
 * order, each seq shown once. The customer's own messages appear at once,
 * faded, at the end; when the server acknowledges one it takes its place
 * by seq, so replies that overtook it don't end up above it.
 */
import type { ChatMessage, FileRef } from '../bot/channels/web/protocol.js';
import { el } from './dom.js';
import type { Files } from './files.js';
import { fileView } from './file-view.js';
import { linkify } from './linkify.js';
import type { Strings } from './strings.js';

export class MessageList {
  readonly element: HTMLElement;
  private readonly shown = new Set<number>();
  private readonly pending = new Map<string, HTMLElement>();
  private highest = 0;

  constructor(
    private strings: Strings,
    private readonly files: Files,
  ) {
    this.element = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': strings.conversation });
  }

  /** Relabels the log and the bubbles already shown (who said it, "sending") in another language. */
  setStrings(strings: Strings): void {
    this.strings = strings;
    this.element.setAttribute('aria-label', strings.conversation);
    for (const who of this.element.querySelectorAll<HTMLElement>('[data-label]')) who.textContent = this.label(who.dataset['label']);
    for (const bubble of this.pending.values()) bubble.title = strings.sending;
  }

  /** The highest seq on screen: a reconnect asks only for what came after it. */
  get after(): number {
    return this.highest;
  }

  /** Shows a message unless its seq is already shown; a customer message with a pending id settles that bubble. Returns whether it was new. */
  add(message: ChatMessage): boolean {
    if (this.shown.has(message.seq)) return false;
    if (message.id !== undefined && this.markSent(message.id, message.seq)) return true;
    this.place(this.bubble(message.from, message.text, message.agent, message.file), message.seq);
    return true;
  }

  /** Shows the customer's message before the server has it. */
  addPending(id: string, text: string, file?: FileRef): void {
    const bubble = this.bubble('customer', text, undefined, file);
    bubble.classList.add('pending');
    bubble.title = this.strings.sending;
    this.pending.set(id, bubble);
    this.element.append(bubble);
    this.scrollToEnd();
  }

  /** The server stored a pending message as `seq`. Returns false if no bubble waits for that id. */
  markSent(id: string, seq: number): boolean {
    const bubble = this.pending.get(id);
    if (bubble === undefined) return false;
    this.pending.delete(id);
    bubble.remove();
    bubble.classList.remove('pending');
    bubble.removeAttribute('title');
    this.place(bubble, seq);
    return true;
  }

  removePending(id: string): void {
    this.pending.get(id)?.remove();
    this.pending.delete(id);
  }

  /** Forgets the delivered messages (a new session); pending ones stay, they will go to the new session. */
  clearDelivered(): void {
    for (const seq of this.shown) this.element.querySelector(`[data-seq="${seq}"]`)?.remove();
    this.shown.clear();
    this.highest = 0;
  }

  private place(bubble: HTMLElement, seq: number): void {
    bubble.dataset['seq'] = String(seq);
    this.shown.add(seq);
    this.highest = Math.max(this.highest, seq);
    let before = this.element.lastElementChild;
    while (before instanceof HTMLElement && (before.classList.contains('pending') || Number(before.dataset['seq']) > seq)) {
      before = before.previousElementSibling;
    }
    this.element.insertBefore(bubble, before === null ? this.element.firstChild : before.nextSibling);
    this.scrollToEnd();
  }

  /** A file being uploaded, as a bubble at the end that says how far it got or why it failed; the caller settles it. */
  addUpload(name: string): UploadBubble {
    const state = el('span', { class: 'state' });
    const actions = el('span', { class: 'actions' });
    const bubble = el('div', { class: 'msg customer upload pending' }, el('div', { class: 'text' }, el('span', { class: 'name' }, name), state, actions));
    this.element.append(bubble);
    this.scrollToEnd();
    return {
      progress: (text) => {
        state.textContent = text;
        actions.replaceChildren();
      },
      failed: (text, buttons) => {
        bubble.classList.add('failed');
        state.textContent = text;
        actions.replaceChildren(...buttons.map(([label, act]) => {
          const b = el('button', { type: 'button' }, label);
          b.addEventListener('click', act);
          return b;
        }));
      },
      remove: () => bubble.remove(),
    };
  }

  private bubble(from: ChatMessage['from'], text: string, agent: string | undefined, file?: FileRef): HTMLElement {
    // An agent's own name stays as given; the widget's labels (data-label) follow the language.
    const who = from === 'agent' && agent ? el('span', { class: 'who' }, agent) : el('span', { class: from === 'agent' ? 'who' : 'sr', 'data-label': from }, this.label(from));
    const body = el('div', { class: 'text' }, ...(file ? [fileView(file, this.files, this.strings)] : []), ...(text === '' ? [] : [linkify(text)]));
    return el('div', { class: `msg ${from}` }, who, body);
  }

  private label(from: string | undefined): string {
    return from === 'agent' ? this.strings.agent : from === 'bot' ? this.strings.bot : this.strings.you;
  }

  scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }
}

/** An upload on screen: its progress, or why it failed with what the customer can do (retry, remove). */
export interface UploadBubble {
  progress(text: string): void;
  failed(text: string, buttons: readonly (readonly [label: string, act: () => void])[]): void;
  remove(): void;
}
