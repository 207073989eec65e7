/**
 * E-mail to a customer who left an address with consent (the message form,
 * or the complaint intake's contact step), so the conversation goes on when
 * they have left the page:
 *
 *   replies   what an agent wrote after the customer left, once they have been away a
 *             little while (REPLIES_AFTER_MS) and only what they have not been sent yet
 *   followup  a resolved complaint's follow-up question, when they are not in the chat
 *
 * Each e-mail's Reply-To names the conversation (reply-address.ts), so their
 * answer comes back into it (channels/mail/inbound.ts). Every word is the
 * phrasing library's (mail.*), in the conversation's language. A sent
 * e-mail is recorded in the conversation (`mail`, the address masked), so a
 * task run again after a crash does not send it twice.
 */
import type { Lang } from '../../kb/types.js';
import { maskPii } from '../core/mask.js';
import { phrase } from '../core/phrasing.js';
import type { FaqIndex } from '../core/faq-index.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mail/mailer.js';
import type { ReplyAddresses } from '../mail/reply-address.js';
import { numberedMessages, type MailKind, type Store, type StoredEvent, type StoredTask } from '../store/store.js';

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
  async send(task: StoredTask, what: MailKind): Promise<void> {
    const sessionId = task.job.sessionId;
    const events = await this.deps.store.read(sessionId);
    if (events.some((e) => e.kind === 'mail' && e.task === task.id)) return;
    const to = consentedEmail(events);
    if (to === null) return;
    if (what === 'replies' && (await this.deps.listening(sessionId))) return;
    const news = unsent(events, what);
    if (news.length === 0) return;
    const lib = this.deps.index().kb.phrasing;
    const lang = langOf(events);
    const messages = news.map(({ message: m }) => `${m.agent ? `${m.agent}: ` : ''}${m.text || (m.file ? `[${m.file.name}]` : '')}`).join('\n\n');
    await this.deps.mailer.send({ to, subject: phrase(lib, `mail.${what}.subject`, lang), text: phrase(lib, `mail.${what}.body`, lang, { messages }), replyTo: this.deps.replies?.for(sessionId) ?? null });
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
    const email = contact ? EMAIL.exec(contact.normalize('NFKC'))?.[0] : undefined;
    if (email) return email;
  }
  return null;
}

/** Messages the customer has not seen by mail or answered: agents' (replies) or the bot's (followup), after their last message and the last e-mail. */
type Numbered = { readonly seq: number; readonly message: Extract<StoredEvent, { kind: 'message' }> };

function unsent(events: readonly StoredEvent[], what: MailKind): Numbered[] {
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
