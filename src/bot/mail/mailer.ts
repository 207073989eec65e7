/**
 * Sending e-mail (nodemailer over TACT_SMTP_URL): the one way out by mail.
 * What is sent, and to whom, is pipeline/customer-mail.ts's.
 */
import nodemailer from 'nodemailer';
import type { MailConfig } from '../mail-config.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Where a reply should go (reply-address.ts), or null. */
  readonly replyTo: string | null;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    send: async (m) => {
      await transport.sendMail({ from: config.from, to: m.to, subject: m.subject, text: m.text, ...(m.replyTo ? { replyTo: m.replyTo } : {}) });
    },
    close: () => transport.close(),
  };
}
