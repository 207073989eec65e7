/**
 * The widget's two small forms, shown in place of the input:
 *
 *   message     leave a message, when nobody can take the chat (the bot offers a "leave a
 *               message" button): what happened, and optionally a phone number or e-mail
 *               address with the customer's consent to be contacted about it
 *   transcript  e-mail me this conversation (the header's envelope button, offered when the
 *               server can send e-mail): an address, with consent to send it there
 *
 * Checked here so the customer can fix it at once; the server checks again
 * and never keeps a contact that is not a phone or an e-mail.
 */
import { el } from './dom.js';
import type { Strings } from './strings.js';

export type FormKind = 'message' | 'transcript';

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
    readonly kind: FormKind,
    private readonly done: (input: LeftMessageInput | null) => void,
  ) {
    const id = `tact-${kind}`;
    this.what = el('textarea', { id: `${id}-what`, rows: '3', maxlength: String(MAX_WHAT), required: '' });
    this.contact = el('input', { id: `${id}-contact`, type: kind === 'message' ? 'text' : 'email', maxlength: String(MAX_CONTACT), autocomplete: kind === 'message' ? 'email tel' : 'email' });
    this.consent = el('input', { id: `${id}-consent`, type: 'checkbox' });
    const send = el('button', { type: 'submit' }, kind === 'message' ? s.leaveSend : s.transcriptSend);
    const cancel = el('button', { type: 'button', class: 'secondary' }, s.leaveCancel);
    cancel.addEventListener('click', () => this.done(null));
    const what = kind === 'message' ? [el('label', { for: `${id}-what` }, s.leaveWhat), this.what] : [];
    this.element = el(
      'form',
      { class: 'leave', 'aria-labelledby': `${id}-title`, novalidate: '' },
      el('h3', { id: `${id}-title` }, kind === 'message' ? s.leaveTitle : s.transcriptTitle),
      ...what,
      el('label', { for: `${id}-contact` }, kind === 'message' ? s.leaveContact : s.transcriptAddress),
      this.contact,
      el('label', { class: 'check' }, this.consent, kind === 'message' ? s.leaveConsent : s.transcriptConsent),
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
    (this.kind === 'message' ? this.what : this.contact).focus();
  }

  private submit(): void {
    if (this.kind === 'transcript') return this.submitAddress();
    const what = this.what.value.trim();
    const contact = this.contact.value.trim();
    if (what === '') return this.showError(this.s.leaveNeedWhat, this.what);
    if (contact !== '' && !isContact(contact)) return this.showError(this.s.leaveBadContact, this.contact);
    if (contact !== '' && !this.consent.checked) return this.showError(this.s.leaveNeedConsent, this.consent);
    this.done({ what, contact: contact === '' ? null : contact });
  }

  private submitAddress(): void {
    const address = this.contact.value.trim();
    if (!isEmail(address)) return this.showError(this.s.transcriptBadAddress, this.contact);
    if (!this.consent.checked) return this.showError(this.s.transcriptNeedConsent, this.consent);
    this.done({ what: this.s.transcriptRequest, contact: address });
  }

  private showError(text: string, field?: HTMLElement): void {
    this.error.textContent = text;
    this.error.hidden = text === '';
    field?.focus();
  }
}

/** An e-mail address, as the server finds one. */
function isEmail(text: string): boolean {
  return /[^\s@]+@[^\s@]+\.[^\s@]+/.test(text.normalize('NFKC'));
}

/** A phone number (seven digits or more) or an e-mail address, as the server accepts them. */
function isContact(text: string): boolean {
  return isEmail(text) || text.normalize('NFKC').replace(/\D/g, '').length >= 7;
}
