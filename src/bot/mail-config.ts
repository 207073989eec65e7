/**
 * E-mail settings, checked once at start (config.ts calls `mailConfig`):
 *
 *   TACT_SMTP_URL           smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465: where mail is sent
 *   TACT_MAIL_FROM          the sender, `Shop Service <service@shop.example>` or a bare address
 *   TACT_MAIL_REPLY_TO      where replies go, `chat@reply.shop.example`: each e-mail's Reply-To is
 *                           chat+<signed token>@reply.shop.example, so a reply finds its conversation
 *   TACT_SMTP_INBOUND_PORT  the port of Tact's own SMTP receiver for those replies (point the
 *                           reply domain's MX at it); none: replies are not taken in
 *
 * Without TACT_SMTP_URL nothing is mailed; the other three need it.
 */
export interface MailConfig {
  readonly smtpUrl: string;
  readonly from: string;
  /** `local@domain` replies are addressed under (as local+token@domain), or null: no Reply-To. */
  readonly replyTo: string | null;
  readonly inboundPort: number | null;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const NAMED = /^[^<>"\r\n]{0,80}<([^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+)>$/;

export function mailConfig(text: (name: string) => string | null, problems: string[]): MailConfig | null {
  const smtpUrl = text('TACT_SMTP_URL');
  const from = text('TACT_MAIL_FROM');
  const replyTo = text('TACT_MAIL_REPLY_TO');
  const inbound = text('TACT_SMTP_INBOUND_PORT');
  if (smtpUrl === null) {
    for (const [name, v] of [['TACT_MAIL_FROM', from], ['TACT_MAIL_REPLY_TO', replyTo], ['TACT_SMTP_INBOUND_PORT', inbound]] as const) if (v !== null) problems.push(`${name}: needs TACT_SMTP_URL too (nothing is mailed without it)`);
    return null;
  }
  if (!/^smtps?:\/\/[^\s/]+(:\d{1,5})?\/?$/.test(smtpUrl.replace(/^(smtps?:\/\/)[^@\s/]*@/, '$1'))) problems.push('TACT_SMTP_URL: must be smtp://[user:password@]host[:port] or smtps://…, such as smtp://mailer:secret@smtp.shop.example:587');
  if (from === null || !(ADDRESS.test(from) || NAMED.test(from))) problems.push('TACT_MAIL_FROM: is required with TACT_SMTP_URL, as an address or "Name <address>", such as "Tact Shop <service@shop.example>"');
  if (replyTo !== null && !ADDRESS.test(replyTo)) problems.push(`TACT_MAIL_REPLY_TO: must be a bare address such as chat@reply.shop.example, not ${JSON.stringify(replyTo.slice(0, 80))}`);
  const port = inbound === null ? null : Number(inbound);
  if (port !== null && !(Number.isInteger(port) && port >= 1 && port <= 65535)) problems.push(`TACT_SMTP_INBOUND_PORT: must be a port number 1–65535, not ${JSON.stringify(String(inbound).slice(0, 20))}`);
  if (port !== null && replyTo === null) problems.push('TACT_SMTP_INBOUND_PORT: needs TACT_MAIL_REPLY_TO (the address replies come to)');
  return { smtpUrl, from: from ?? '', replyTo, inboundPort: port };
}
