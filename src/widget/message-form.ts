/**
 * The leave-a-message form, shown when nobody can take the chat (the bot
 * offers a "leave a message" button): what happened, and optionally a phone
 * number or e-mail address with the customer's consent to be contacted about
 * this message. Checked here so the customer can fix it at once; the server
 * checks again and never keeps a contact that is not a phone or an e-mail.
 */
import { el } from './dom.js';
import type { Strings } from './strings.js';

export interface LeftMessageInput {
  readonly what: string;
  /** Only when the customer gave it and agreed to be contacted. */
  readonly contact: string | null;
}

/** Longest text the form sends (the chat's own message limit is higher; a message for the team is a paragraph). */
const MAX_WHAT = 2000;
const MAX_CONTACT = 200;

export class MessageForm {
  readonly element: HTMLFormElement;
  private readonly what: HTMLTextAreaElement;
  private readonly contact: HTMLInputElement;
  private readonly consent: HTMLInputElement;
  private readonly error = el('p', { class: 'form-error', role: 'alert', hidden: '' });

  constructor(
    private readonly s: Strings,
    private readonly done: (input: LeftMessageInput | null) => void,
  ) {
    this.what = el('textarea', { id: 'tact-leave-what', rows: '3', maxlength: String(MAX_WHAT), required: '' });
    this.contact = el('input', { id: 'tact-leave-contact', type: 'text', maxlength: String(MAX_CONTACT), autocomplete: 'email tel' });
    this.consent = el('input', { id: 'tact-leave-consent', type: 'checkbox' });
    const send = el('button', { type: 'submit' }, s.leaveSend);
    const cancel = el('button', { type: 'button', class: 'secondary' }, s.leaveCancel);
    cancel.addEventListener('click', () => this.done(null));
    this.element = el(
      'form',
      { class: 'leave', 'aria-labelledby': 'tact-leave-title', novalidate: '' },
      el('h3', { id: 'tact-leave-title' }, s.leaveTitle),
      el('label', { for: 'tact-leave-what' }, s.leaveWhat),
      this.what,
      el('label', { for: 'tact-leave-contact' }, s.leaveContact),
      this.contact,
      el('label', { class: 'check' }, this.consent, s.leaveConsent),
      this.error,
      el('div', { class: 'row' }, send, cancel),
    );
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  open(): void {
    this.element.hidden = false;
    this.showError('');
    this.what.focus();
  }

  private submit(): void {
    const what = this.what.value.trim();
    const contact = this.contact.value.trim();
    if (what === '') return this.showError(this.s.leaveNeedWhat, this.what);
    if (contact !== '' && !isContact(contact)) return this.showError(this.s.leaveBadContact, this.contact);
    if (contact !== '' && !this.consent.checked) return this.showError(this.s.leaveNeedConsent, this.consent);
    this.done({ what, contact: contact === '' ? null : contact });
  }

  private showError(text: string, field?: HTMLElement): void {
    this.error.textContent = text;
    this.error.hidden = text === '';
    field?.focus();
  }
}

/** A phone number (seven digits or more) or an e-mail address, as the server accepts them. */
function isContact(text: string): boolean {
  const t = text.normalize('NFKC');
  return /[^\s@]+@[^\s@]+\.[^\s@]+/.test(t) || t.replace(/\D/g, '').length >= 7;
}
