/**
 * The plumbing every admin page shares: the security headers, HTML and
 * redirect responses, form bodies read with a size cap, coded errors, and
 * the shape of a route. Pages and routes live in their own files; this one
 * knows nothing about FAQs or conversations.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StaffRole } from '../../store/store.js';
import type { Html } from './admin-html.js';
import type { Permission } from './admin-roles.js';
import { readBody } from './request.js';

/** The pages load their own stylesheet and script only, are never framed, and are never cached (they show customer data). */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** A login is a token; an FAQ is at most a few answers of 20 000 characters, percent-encoded. */
export const MAX_LOGIN_BYTES = 16 * 1024;
export const MAX_FORM_BYTES = 512 * 1024;

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent with the refusal (Retry-After on a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** A person using the admin pages: a staff member by name, or whoever holds the admin token ("admin (token)", an admin). */
export interface Person {
  readonly who: string;
  readonly role: StaffRole;
  /** A staff account (false: the admin token). */
  readonly account: boolean;
}

/** Who is asking: a browser with a session cookie (its forms carry `csrf`), or a script with the Bearer token. */
export type Caller = (Person & { readonly kind: 'session'; readonly csrf: string }) | (Person & { readonly kind: 'bearer' });

/** What a page needs to know about who it is for: whose it is, what they may do, and the CSRF token for its forms ('' for Bearer callers, who need none). */
export interface Viewer extends Person {
  readonly csrf: string;
}

/** One request on its way through a route. */
export interface AdminRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The path's captured parts, e.g. the FAQ id of /admin/kb/faq/:id. */
  readonly params: readonly string[];
  /** The form body of a POST (empty for GET). */
  readonly form: URLSearchParams;
  /** The CSRF token to put in every form the page renders ('' for Bearer callers, who need none). */
  readonly csrf: string;
  /** Who is asking, for the pages (what to show) and the audit log (who did it). */
  readonly viewer: Viewer;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  /** What the caller's role must allow (admin-roles.ts); checked before the route is run. */
  readonly need: Permission;
  readonly handle: (r: AdminRequest) => Promise<void> | void;
}

export function sendHtml(res: ServerResponse, status: number, page: Html, headers: Readonly<Record<string, string | string[]>> = {}): void {
  const body = Buffer.from(`<!doctype html>\n${page.text}`);
  res.writeHead(status, { ...ADMIN_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, ...headers });
  res.end(body);
}

/** 303: the browser follows with a GET, so a reload never re-posts a form. */
export function redirect(res: ServerResponse, location: string, headers: Readonly<Record<string, string | string[]>> = {}): void {
  res.writeHead(303, { ...ADMIN_HEADERS, Location: location, 'Content-Length': 0, ...headers });
  res.end();
}

/** An application/x-www-form-urlencoded body, refused unread (413) when it is larger than `max` bytes. */
export async function readForm(req: IncomingMessage, max: number): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) throw new AdminError(415, 'unsupported_media_type', 'send the form as application/x-www-form-urlencoded');
  const body = await readBody(req, max, () => new AdminError(413, 'too_large', `the form may be at most ${max} bytes`));
  return new URLSearchParams(body.toString('utf8'));
}

/** A form field, trimmed, at most `max` characters ('' when absent); browsers send a textarea's line ends as CRLF, kept here as LF. */
export function field(form: URLSearchParams, name: string, max = Number.POSITIVE_INFINITY): string {
  return (form.get(name) ?? '').replace(/\r\n?/g, '\n').trim().slice(0, max);
}
