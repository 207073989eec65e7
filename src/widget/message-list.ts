/**
 * The conversation on screen (role="log"): one bubble per message, in seq
 * order, each seq shown once. The customer's own messages appear at once,
 * faded, at the end; when the server acknowledges one it takes its place
 * by seq, so replies that overtook it don't end up above it.
 *
 * Times are shown as <time datetime> in the customer's own time zone, once
 * per group (one sender, minutes apart), and the customer's latest message
 * says whether it is being sent, delivered (stored) or read (answered).
 */
import type { ChatMessage, FileRef } from '../bot/channels/web/protocol.js';
import { el } from './dom.js';
import type { Files } from './files.js';
import { fileView } from './file-view.js';

/** Messages further apart than this start a new group, with its own time. */
const GROUP_MS = 5 * 60_000;
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
    private lang: string,
  ) {
    this.element = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': strings.conversation });
  }

  /** Relabels the log and the bubbles already shown (who said it, "sending") in another language. */
  setStrings(strings: Strings, lang: string): void {
    this.strings = strings;
    this.lang = lang;
    this.element.setAttribute('aria-label', strings.conversation);
    for (const who of this.element.querySelectorAll<HTMLElement>('[data-label]')) who.textContent = this.label(who.dataset['label']);
    for (const bubble of this.pending.values()) bubble.title = strings.sending;
    this.regroup();
  }

  /** The highest seq on screen: a reconnect asks only for what came after it. */
  get after(): number {
    return this.highest;
  }

  /** Shows a message unless its seq is already shown; a customer message with a pending id settles that bubble. Returns whether it was new. */
  add(message: ChatMessage): boolean {
    if (this.shown.has(message.seq)) return false;
    if (message.id !== undefined && this.markSent(message.id, message.seq)) return true;
    this.place(this.bubble(message.from, message.text, message.agent, message.file, message.at), message.seq);
    return true;
  }

  /** Shows the customer's message before the server has it. */
  addPending(id: string, text: string, file?: FileRef): void {
    const bubble = this.bubble('customer', text, undefined, file, new Date().toISOString());
    bubble.classList.add('pending');
    bubble.title = this.strings.sending;
    this.pending.set(id, bubble);
    this.element.append(bubble);
    this.regroup();
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
    this.regroup();
    this.scrollToEnd();
  }

  /**
   * Shows each group's time (a new sender, or GROUP_MS since the message before) and the state of the
   * customer's latest message: sending, delivered (the server stored it) or read (a reply came after it).
   */
  private regroup(): void {
    let previous: HTMLElement | null = null;
    let lastCustomer: HTMLElement | null = null;
    let answered = false;
    for (const bubble of this.element.querySelectorAll<HTMLElement>('.msg[data-at]')) {
      const at = Date.parse(bubble.dataset['at'] ?? '');
      const gap = previous === null ? Infinity : at - Date.parse(previous.dataset['at'] ?? '');
      const time = bubble.querySelector('time');
      if (time) time.hidden = !(previous === null || previous.dataset['from'] !== bubble.dataset['from'] || gap >= GROUP_MS);
      if (bubble.dataset['from'] === 'customer') [lastCustomer, answered] = [bubble, false];
      else answered = true;
      bubble.querySelector('.state')?.remove();
      previous = bubble;
    }
    if (lastCustomer === null) return;
    const state = lastCustomer.classList.contains('pending') ? this.strings.sending : answered ? this.strings.read : this.strings.delivered;
    lastCustomer.append(el('span', { class: 'state' }, state));
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

  private bubble(from: ChatMessage['from'], text: string, agent: string | undefined, file: FileRef | undefined, at: string): HTMLElement {
    // An agent's own name stays as given (with their initials); the widget's labels (data-label) follow the language.
    const who = from === 'agent' && agent ? el('span', { class: 'by' }, el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(agent)), el('span', { class: 'who' }, agent)) : el('span', { class: from === 'agent' ? 'who' : 'sr', 'data-label': from }, this.label(from));
    const body = el('div', { class: 'text' }, ...(file ? [fileView(file, this.files, this.strings)] : []), ...(text === '' ? [] : [linkify(text)]));
    const time = el('time', { datetime: at }, this.timeText(at));
    return el('div', { class: `msg ${from}`, 'data-from': from, 'data-at': at }, time, who, body);
  }

  /** "14:03" today, "12/5 14:03" on another day, in the customer's own time zone. */
  private timeText(iso: string): string {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return '';
    const today = at.toDateString() === new Date().toDateString();
    return new Intl.DateTimeFormat(this.lang, today ? { hour: '2-digit', minute: '2-digit' } : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
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

/** An agent's avatar text: the first character of a Chinese name (林), else the first letters of two words (AW). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = Array.from(words[0] ?? '?')[0] ?? '?';
  if (/\p{Script=Han}/u.test(first) || words.length < 2) return first.toUpperCase();
  return (first + (Array.from(words[1] as string)[0] ?? '')).toUpperCase();
}
