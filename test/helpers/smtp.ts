import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedSmtp {
  readonly port: number;
  /** Every message received, parsed, in order. */
  readonly sent: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server in this process, standing in for the shop's mail relay: it keeps every message Tact sends. */
export async function captureSmtp(): Promise<CapturedSmtp> {
  const sent: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData: (stream, _session, done) => void simpleParser(stream).then((m) => (sent.push(m), done()), done),
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, sent, close: () => new Promise((ok) => server.close(() => ok())) };
}

