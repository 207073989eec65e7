/**
 * E-mail to a customer who left an address with consent (the message form,
 * or the complaint intake's contact step), so the conversation goes on when
 * they have left the page:
 *
 *   replies   what an agent wrote after the customer left, once they have been away a
 *             little while (REPLIES_AFTER_MS) and only what they have not been sent yet
 *   followup  a resolved complaint's follow-up question, when they are not in the chat
 *   transcript  the whole conversation up to their asking, when they ask for it (scripts/transcript.ts)
 *
 * Each e-mail's Reply-To names the conversation (reply-address.ts), so their
 * answer comes back into it (channels/mail/inbound.ts). Every word is the
 * phrasing library's (mail.*), in the conversation's language. A sent
 * e-mail is recorded in the conversation (`mail`, the address masked), so a
 * task run again after a crash does not send it twice.
 */
import type { Lang } from '../../kb/types.js';
import { maskPii } from '../core/mask.js';
import { phrase, type PhrasingLibrary } from '../core/phrasing.js';
import type { FaqIndex } from '../core/faq-index.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mail/mailer.js';
import type { ReplyAddresses } from '../mail/reply-address.js';
import { numberedMessages, type MailJob, type MailKind, type Store, type StoredEvent, type StoredTask } from '../store/store.js';

/** How long after an agent's reply, with the customer away, it is mailed: time to come back and read it in the chat. */
export const REPLIES_AFTER_MS = 2 * 60_000;
const EMAIL = /[^\s@<>"'，,；;]+@[^\s@<>"'，,；;]+\.[^\s@<>"'，,；;]+/;

export interface CustomerMailDeps {
  readonly store: Store;
  readonly mailer: Mailer;
  /** Reply-To addresses; null: replies are not taken in (no TACT_MAIL_REPLY_TO). */
  readonly replies: ReplyAddresses | null;
  readonly index: () => FaqIndex;
  readonly now: () => Date;
  readonly listening: (sessionId: string) => Promise<boolean>;
  readonly log: Logger;
}

export class CustomerMail {
  constructor(private readonly deps: CustomerMailDeps) {}

  /** Sends a mail task's e-mail, unless it was sent, there is no address, nothing new to say, or (replies) the customer is back. */
  async send(task: StoredTask, job: MailJob): Promise<void> {
    const what = job.what;
    const sessionId = job.sessionId;
    const events = await this.deps.store.read(sessionId);
    if (events.some((e) => e.kind === 'mail' && e.task === task.id)) return;
    const to = consentedEmail(events);
    if (to === null) return;
    if (what === 'replies' && (await this.deps.listening(sessionId))) return;
    const news = job.what === 'transcript' ? [...numberedMessages(events)].filter((n) => n.seq <= job.upTo) : unsent(events, job.what);
    if (news.length === 0) return;
    const { phrasing: lib, shop } = this.deps.index().kb;
    const lang = langOf(events);
    const zone = shop.service.timezone;
    const clock = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const messages = news.map(({ message: m }) => (what === 'transcript' ? transcriptEntry(m, lib, lang, clock) : `${m.agent ? `${m.agent}: ` : ''}${content(m)}`)).join('\n\n');
    const vars = { messages, zone };
    await this.deps.mailer.send({ to, subject: phrase(lib, `mail.${what}.subject`, lang, vars), text: phrase(lib, `mail.${what}.body`, lang, vars), replyTo: this.deps.replies?.for(sessionId) ?? null });
    const upTo = news[news.length - 1]?.seq ?? 0;
    await this.deps.store.append(sessionId, { kind: 'mail', at: this.deps.now().toISOString(), task: task.id, what, to: maskPii(to), upTo });
    this.deps.log.info('mail.sent', { session: sessionId, what, messages: news.length });
  }
}

/** The latest e-mail address among the contact details the customer gave with consent. */
export function consentedEmail(events: readonly StoredEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as StoredEvent;
    const contact = e.kind === 'message' && e.from === 'customer' ? e.contact : e.kind === 'handoff' ? e.details['contact'] : undefined;
    const email = contact ? emailIn(contact) : null;
    if (email) return email;
  }
  return null;
}

/** The e-mail address in contact details (a phone number is not one), or null. */
export function emailIn(contact: string): string | null {
  return EMAIL.exec(contact.normalize('NFKC'))?.[0] ?? null;
}

type StoredMessage = Extract<StoredEvent, { kind: 'message' }>;
type Numbered = { readonly seq: number; readonly message: StoredMessage };

/** A message's words, or the name of the file it carried. */
function content(m: StoredMessage): string {
  return m.text || (m.file ? `[${m.file.name}]` : '');
}

/**
 * One message of a transcript: when ("2026-12-06 14:03" in the shop's time zone, which the e-mail names), who, and what.
 * The customer's own words are not masked: they asked for them, and anyone who could ask has read them in the chat.
 */
function transcriptEntry(m: StoredMessage, lib: PhrasingLibrary, lang: Lang, clock: Intl.DateTimeFormat): string {
  const when = clock.format(new Date(m.at));
  const who = m.from === 'agent' ? (m.agent ?? phrase(lib, 'mail.transcript.agent', lang)) : phrase(lib, `mail.transcript.${m.from}`, lang);
  return `${when} ${who}\n${content(m)}`;
}

/** Messages the customer has not seen by mail or answered: agents' (replies) or the bot's (followup), after their last message and the last e-mail. */
function unsent(events: readonly StoredEvent[], what: Exclude<MailKind, 'transcript'>): Numbered[] {
  const numbered = [...numberedMessages(events)];
  const lastCustomer = Math.max(0, ...numbered.filter((n) => n.message.from === 'customer').map((n) => n.seq));
  const lastMailed = Math.max(0, ...events.map((e) => (e.kind === 'mail' ? e.upTo : 0)));
  const from = what === 'replies' ? 'agent' : 'bot';
  return numbered.filter((n) => n.seq > lastCustomer && n.seq > lastMailed && n.message.from === from);
}

function langOf(events: readonly StoredEvent[]): Lang {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as StoredEvent;
    if (e.kind === 'session') return e.lang;
  }
  return 'zh';
}
