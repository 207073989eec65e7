/**
 * Tact's own SMTP receiver (TACT_SMTP_INBOUND_PORT) for customers' replies
 * to its e-mails. Transport only: a recipient is accepted only when it is a
 * Reply-To address this server gave out (reply-address.ts: signed, one
 * conversation each), anything else is refused at RCPT with 550; a message
 * is read up to MAX_MAIL_BYTES, parsed, cut to the customer's own words
 * (reply-text.ts) and handed to the pipeline as their message, once per
 * Message-ID. No authentication is offered: the signed address is what
 * lets a reply in, as it is known only to the customer it was sent to.
 */
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../log.js';
import type { ReplyAddresses } from '../../mail/reply-address.js';
import { replyText } from '../../mail/reply-text.js';
import { MAX_TEXT_CHARS } from '../web/protocol.js';

/** A reply is words; attachments and long threads past this are refused with 552. */
export const MAX_MAIL_BYTES = 1024 * 1024;

export interface MailInboundOptions {
  readonly port: number;
  readonly host: string;
  readonly replies: ReplyAddresses;
  /** The customer's words, as a message of that conversation; `id` is stable for one e-mail (its Message-ID). */
  readonly take: (sessionId: string, text: string, id: string) => Promise<void>;
  readonly log: Logger;
}

export interface MailInbound {
  readonly port: number;
  close(): Promise<void>;
}

type Done = (err?: Error | null) => void;

export async function startMailInbound(opts: MailInboundOptions): Promise<MailInbound> {
  const server = new SMTPServer({
    name: 'tact',
    banner: 'Tact replies',
    disabledCommands: ['AUTH'],
    authOptional: true,
    size: MAX_MAIL_BYTES,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo: (address: SMTPServerAddress, _session: SMTPServerSession, done: Done) => {
      if (opts.replies.sessionOf(address.address) !== null) return done();
      done(smtpError(550, 'no such recipient'));
    },
    onData: (stream: SMTPServerDataStream, session: SMTPServerSession, done: Done) => {
      void receive(opts, stream, session).then(
        () => done(),
        (err: unknown) => done(err instanceof Error && 'responseCode' in err ? err : smtpError(451, 'the reply could not be kept; please send it again later')),
      );
    },
  });
  server.on('error', (err) => opts.log.warn('mail.inbound_error', { err }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.server.address();
  return { port: typeof address === 'object' && address ? address.port : opts.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function receive(opts: MailInboundOptions, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
  const raw = await readAll(stream);
  if (stream.sizeExceeded) throw smtpError(552, `the message is over ${MAX_MAIL_BYTES / 1024} KB`);
  const mail = await simpleParser(raw);
  const text = replyText(mail.text ?? '', MAX_TEXT_CHARS);
  const id = `mail-${createHash('sha256').update(mail.messageId ?? raw).digest('hex').slice(0, 32)}`;
  for (const to of session.envelope.rcptTo) {
    const sessionId = opts.replies.sessionOf(to.address);
    if (sessionId === null) continue;
    if (text === '') {
      opts.log.info('mail.reply_empty', { session: sessionId });
      continue;
    }
    await opts.take(sessionId, text, id);
    opts.log.info('mail.reply_taken', { session: sessionId, chars: text.length });
  }
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
