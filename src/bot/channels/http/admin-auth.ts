/**
 * Who may use /admin. An editor proves once, on the login form, that they
 * hold TACT_ADMIN_TOKEN; the browser then keeps a session cookie that is not
 * the token but an expiry and a random id, signed with a key derived from
 * the token (so changing the token ends every session). Scripts may send
 * the token itself as `Authorization: Bearer`. Every comparison is
 * constant-time, and forms that change anything carry a CSRF token derived
 * from the session.
 *
 * A signature alone cannot be taken back, so the server also keeps the ids
 * of the sessions it has issued and not yet ended: signing out removes the
 * id and the old cookie is worth nothing, even copied. They live in memory:
 * after a restart every editor signs in again.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../../constant-time.js';
import type { Caller } from './admin-http.js';
import { bearerToken } from './request.js';

const SESSION_COOKIE = 'tact_admin';
const SESSION_MS = 12 * 60 * 60 * 1000;
/** Live sessions kept at most; past it the oldest is ended (a real team has a handful). */
const MAX_LIVE_SESSIONS = 1000;

/** `<expiry ms>.<random id>.<HMAC>`, all base64url after the expiry. */
const SESSION = /^(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/;

export class AdminAuth {
  private readonly key: Buffer;
  /** Ids of the sessions issued and not ended, with their expiry (ms), oldest first. */
  private readonly live = new Map<string, number>();

  constructor(private readonly token: string) {
    this.key = createHmac('sha256', token).update('tact admin sessions v1').digest();
  }

  isToken(given: string): boolean {
    return sameSecret(given, this.token);
  }

  newSession(now: Date): string {
    const id = randomBytes(18).toString('base64url');
    const expires = now.getTime() + SESSION_MS;
    this.forgetExpired(now);
    this.live.set(id, expires);
    while (this.live.size > MAX_LIVE_SESSIONS) this.live.delete(this.live.keys().next().value as string);
    const payload = `${expires}.${id}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** Ends the request's session (sign-out): its cookie is refused from now on. */
  endSession(req: IncomingMessage): void {
    const m = SESSION.exec(cookieValue(req.headers.cookie ?? '', SESSION_COOKIE) ?? '');
    if (m) this.live.delete(m[2] as string);
  }

  /** The Set-Cookie header for a session; an empty value ends it. Path=/admin: the chat and the API never see it. */
  cookie(value: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${value ? SESSION_MS / 1000 : 0}${secure ? '; Secure' : ''}`;
  }

  /** The caller, or null when the request has neither a valid session nor the right Bearer token. */
  caller(req: IncomingMessage, now: Date): Caller | null {
    const bearer = bearerToken(req);
    if (bearer !== null) return this.isToken(bearer) ? { kind: 'bearer' } : null;
    const session = cookieValue(req.headers.cookie ?? '', SESSION_COOKIE);
    if (session === null || !this.valid(session, now)) return null;
    return { kind: 'session', csrf: this.sign(`csrf.${session}`) };
  }

  /** A Bearer caller needs no CSRF token: no browser sends that header on its own. */
  csrfOk(caller: Caller, given: string): boolean {
    return caller.kind === 'bearer' || sameSecret(given, caller.csrf);
  }

  private valid(session: string, now: Date): boolean {
    const m = SESSION.exec(session);
    if (!m) return false;
    const [, expires = '', id = '', mac = ''] = m;
    return sameSecret(mac, this.sign(`${expires}.${id}`)) && Number(expires) > now.getTime() && this.live.has(id);
  }

  private forgetExpired(now: Date): void {
    for (const [id, expires] of this.live) if (expires <= now.getTime()) this.live.delete(id);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
