/**
 * The Reply-To of each e-mail Tact sends: `chat+<token>@reply.shop.example`,
 * where the token is the conversation's id and an HMAC of it under the
 * server's secret. A reply to that address finds its conversation, and no
 * other: an id without its MAC, a changed letter or another server's token
 * finds nothing. Lower-case hex only, as mail systems may change the case of
 * an address's local part.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../constant-time.js';

const MAC_HEX = 20;

export class ReplyAddresses {
  private readonly local: string;
  private readonly domain: string;

  /** `base`: TACT_MAIL_REPLY_TO, local@domain. */
  constructor(
    private readonly secret: string,
    base: string,
  ) {
    const at = base.lastIndexOf('@');
    this.local = base.slice(0, at).toLowerCase();
    this.domain = base.slice(at + 1).toLowerCase();
  }

  /** The address a reply about this conversation goes to. */
  for(sessionId: string): string {
    const id = Buffer.from(sessionId, 'base64url').toString('hex');
    return `${this.local}+${id}${this.mac(id)}@${this.domain}`;
  }

  /** The conversation an address names, or null for any address this server did not give out. */
  sessionOf(address: string): string | null {
    const m = /^([^+@\s]+)\+([0-9a-f]{32})([0-9a-f]{20})@([^@\s]+)$/.exec(address.trim().toLowerCase());
    if (!m || m[1] !== this.local || m[4] !== this.domain) return null;
    const [, , id = '', mac = ''] = m;
    return sameSecret(mac, this.mac(id)) ? Buffer.from(id, 'hex').toString('base64url') : null;
  }

  private mac(id: string): string {
    return createHmac('sha256', this.secret).update(`reply-to:${id}`).digest('hex').slice(0, MAC_HEX);
  }
}
