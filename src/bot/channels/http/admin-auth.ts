/**
 * Who may use /admin. A staff member signs in once with their name and
 * password (pipeline/staff.ts), or someone proves they hold TACT_ADMIN_TOKEN
 * (the first setup: they act as an admin named "admin (token)"); the
 * browser then keeps a session cookie that is not a secret it was given but
 * an expiry and a random id (and for staff, their name and generation),
 * signed with a key derived from the token (so changing the token ends every
 * session). Scripts may send the token itself as `Authorization: Bearer`.
 * Every comparison is constant-time, and forms that change anything carry a
 * CSRF token derived from the session.
 *
 * A signature alone cannot be taken back, so every request is checked
 * against what the server knows now. A staff session is checked against the
 * store at each request: removed, revoked, a new password, or signed out on
 * any instance, and the old cookie is worth nothing, even copied; the store
 * keeps this across restarts. A token session's id lives in this process's
 * memory: signing out forgets it, and after a restart whoever used the
 * token signs in again.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../../constant-time.js';
import type { Staff, StaffMember } from '../../pipeline/staff.js';
import type { Caller, Person } from './admin-http.js';
import { bearerToken } from './request.js';

const SESSION_COOKIE = 'tact_admin';
const SESSION_MS = 12 * 60 * 60 * 1000;
/** Live sessions kept at most; past it the oldest is ended (a real team has a handful). */
const MAX_LIVE_SESSIONS = 1000;

/** A token session: `<expiry ms>.<random id>.<HMAC>`, all base64url after the expiry. */
const SESSION = /^(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/;
/** A staff session: `<expiry ms>.<random id>.<name, base64url>.<generation>.<HMAC>`. */
const STAFF_SESSION = /^(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{1,240})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/;

/** Whoever signs in with the admin token, or sends it as Bearer. */
export const TOKEN_HOLDER: Person = { who: 'admin (token)', role: 'admin', account: false };

export class AdminAuth {
  private readonly key: Buffer;
  /** Ids of the sessions issued and not ended, with their expiry (ms), oldest first. */
  private readonly live = new Map<string, number>();

  constructor(
    private readonly token: string,
    private readonly staff: Staff,
  ) {
    this.key = createHmac('sha256', token).update('tact admin sessions v1').digest();
  }

  isToken(given: string): boolean {
    return sameSecret(given, this.token);
  }

  /** A new session for a staff member, or (null) for whoever signed in with the token. */
  newSession(now: Date, person: StaffMember | null): string {
    const id = randomBytes(18).toString('base64url');
    const expires = now.getTime() + SESSION_MS;
    if (person !== null) {
      const payload = `${expires}.${id}.${Buffer.from(person.name).toString('base64url')}.${person.generation}`;
      return `${payload}.${this.sign(payload)}`;
    }
    this.forgetExpired(now);
    this.live.set(id, expires);
    while (this.live.size > MAX_LIVE_SESSIONS) this.live.delete(this.live.keys().next().value as string);
    const payload = `${expires}.${id}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** Ends the request's session (sign-out): its cookie is refused from now on (a staff session's on every instance). */
  async endSession(req: IncomingMessage, now: Date): Promise<void> {
    const session = cookieValue(req.headers.cookie ?? '', SESSION_COOKIE) ?? '';
    const m = SESSION.exec(session);
    if (m) this.live.delete(m[2] as string);
    const held = this.staffSession(session, now);
    if (held) await this.staff.signOut(held.name, held.id);
  }

  /** The Set-Cookie header for a session; an empty value ends it. Path=/admin: the chat and the API never see it. */
  cookie(value: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${value ? SESSION_MS / 1000 : 0}${secure ? '; Secure' : ''}`;
  }

  /** The caller, or null when the request has neither a valid session nor the right Bearer token. */
  async caller(req: IncomingMessage, now: Date): Promise<Caller | null> {
    const bearer = bearerToken(req);
    if (bearer !== null) return this.isToken(bearer) ? { kind: 'bearer', ...TOKEN_HOLDER } : null;
    const session = cookieValue(req.headers.cookie ?? '', SESSION_COOKIE);
    if (session === null) return null;
    const person = await this.holder(session, now);
    return person ? { kind: 'session', csrf: this.sign(`csrf.${session}`), ...person } : null;
  }

  /** A Bearer caller needs no CSRF token: no browser sends that header on its own. */
  csrfOk(caller: Caller, given: string): boolean {
    return caller.kind === 'bearer' || sameSecret(given, caller.csrf);
  }

  private async holder(session: string, now: Date): Promise<Person | null> {
    if (this.validToken(session, now)) return TOKEN_HOLDER;
    const held = this.staffSession(session, now);
    if (!held) return null;
    const person = await this.staff.sessionHolder(held.name, held.generation, held.id);
    return person ? { who: person.name, role: person.role, account: true } : null;
  }

  /** A staff session's parts when its signature and expiry are good (whether it still counts is the store's to say). */
  private staffSession(session: string, now: Date): { readonly name: string; readonly generation: number; readonly id: string } | null {
    const m = STAFF_SESSION.exec(session);
    if (!m) return null;
    const [, expires = '', id = '', name = '', generation = '', mac = ''] = m;
    if (!sameSecret(mac, this.sign(`${expires}.${id}.${name}.${generation}`)) || Number(expires) <= now.getTime()) return null;
    return { name: Buffer.from(name, 'base64url').toString('utf8'), generation: Number(generation), id };
  }

  private validToken(session: string, now: Date): boolean {
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
