/**
 * Chat sessions the server issues, not ones a client claims: a random
 * session id and a token `<id>.<expiry>.<hmac>` signed with the server's
 * secret. A reconnecting widget presents its token; a socket can only ever
 * speak as, and hear, the session its token proves. This is what closes
 * botbuilder-adapter-web's hole, where a client names any user id it likes.
 *
 * Identity of logged-in customers: the host site passes {id, name, hash}
 * with hash = HMAC-SHA256(identity secret, id); only a matching hash makes
 * the name usable (to address the customer by surname).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from '../../constant-time.js';

export interface Session {
  readonly id: string;
  /** Unix seconds after which the token is refused. */
  readonly expires: number;
}

/** How long a session token stays valid: long enough for a customer to come back the next day. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
const TOKEN = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
/** What a session id looks like (16 random bytes, base64url): other logs in the store never do. */
export const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export class SessionSigner {
  constructor(private readonly secret: string) {}

  /** A new session with a fresh random id. `now` is Unix seconds (a parameter, so tests need no clock). */
  issue(now: number): { session: Session; token: string } {
    const session = { id: randomBytes(16).toString('base64url'), expires: now + SESSION_TTL_SECONDS };
    return { session, token: `${session.id}.${session.expires}.${this.sign(`${session.id}.${session.expires}`)}` };
  }

  /** The session a token proves, or null for anything forged, altered, expired or malformed. */
  verify(token: unknown, now: number): Session | null {
    if (typeof token !== 'string' || token.length > 100) return null;
    const m = TOKEN.exec(token);
    if (!m) return null;
    const [, id = '', expires = '', mac = ''] = m;
    if (!sameSecret(mac, this.sign(`${id}.${expires}`))) return null;
    const session = { id, expires: Number(expires) };
    return session.expires > now ? session : null;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

export interface Identity {
  readonly id: string;
  readonly name: string;
}

/** The customer's identity when the host's hash proves it, else null (the name is then ignored). */
export function verifyIdentity(secret: string | null, claim: unknown): Identity | null {
  if (secret === null || typeof claim !== 'object' || claim === null) return null;
  const { id, name, hash } = claim as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof hash !== 'string') return null;
  if (id === '' || id.length > 200 || name.length > 200 || hash.length > 128) return null;
  const expected = createHmac('sha256', secret).update(id).digest('hex');
  return sameSecret(hash.toLowerCase(), expected) ? { id, name } : null;
}
