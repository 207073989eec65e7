/**
 * /admin: the pages a support lead uses without the command line — the
 * knowledge-base editor with "try it", the gaps, the conversations waiting
 * for a person, and the dashboard. Plain server-rendered HTML over a
 * node:http handler; this file signs people in and out, checks every
 * request and sends it to its route (admin-kb, admin-gaps,
 * admin-conversations, admin-dashboard).
 *
 *   no TACT_ADMIN_TOKEN        every /admin request → 404 "admin is disabled"
 *   GET/POST /admin/login      a staff name and password, or the token, once → a signed 12-hour session cookie
 *   POST /admin/logout         ends the session, on the server too (the old cookie no longer works)
 *   anything else              needs the session (or Authorization: Bearer <token>):
 *                              GET without one → the login page, POST → 401;
 *                              a role that does not allow the route → 403 (admin-roles.ts);
 *                              a POST from a session must carry its CSRF token (403)
 *
 * Failed sign-ins (wrong passwords, wrong tokens in the form or as Bearer)
 * are counted per address and per account (admin-sign-in-limits.ts): past a
 * few, 429 with Retry-After, whatever is sent, until the wait is over. The
 * token and passwords are never put in a URL, a page or a log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '../../core/decision.js';
import { retryAfterSeconds } from '../../core/rate-limit.js';
import type { Logger } from '../../log.js';
import type { Desk } from '../../pipeline/desk.js';
import { Staff } from '../../pipeline/staff.js';
import type { Store, StoredTask } from '../../store/store.js';
import type { Gap } from '../../../eval/gaps.js';
import type { FaqDraft } from '../../../kb/edit.js';
import type { KnowledgeBase } from '../../../kb/types.js';
import { serveAdminAsset } from './admin-assets.js';
import { AdminAuth } from './admin-auth.js';
import { may, refusal } from './admin-roles.js';
import { SignInLimits, type SignInLimiters } from './admin-sign-in-limits.js';
import { staffRoutes } from './admin-staff.js';
import { conversationRoutes } from './admin-conversations.js';
import { dashboardRoutes } from './admin-dashboard.js';
import { gapRoutes } from './admin-gaps.js';
import type { Conversations, OpenHandoff } from './admin-handoffs.js';
import { ADMIN_HEADERS, AdminError, MAX_FORM_BYTES, MAX_LOGIN_BYTES, readForm, redirect, sendHtml, type Caller, type Route } from './admin-http.js';
import { kbRoutes } from './admin-kb.js';
import { loginPage, messagePage } from './admin-layout.js';
import { bearerToken } from './request.js';
import { fileRoutes } from './admin-files.js';
import { privacyRoutes, type PrivacyActions } from './admin-privacy.js';
import type { Attachments } from '../../pipeline/attachments.js';

export interface AdminDeps {
  /** TACT_ADMIN_TOKEN; null disables /admin. */
  readonly token: string | null;
  readonly kbDir: string;
  /** The KB in force (hot-reloaded). */
  readonly kb: () => KnowledgeBase;
  /** The decision for a message against the KB with an unsaved draft in it ("try it"). */
  readonly tryDraft: (draft: FaqDraft, text: string) => Decision;
  /** The standard's suggested first reply for a handoff stored without its case. */
  readonly suggest: (handoff: OpenHandoff) => string;
  /** Unanswered questions in stored conversations, clustered (since a date, or all). */
  readonly gaps: (conversations: Conversations, since: Date | null) => readonly Gap[];
  readonly store: Store;
  readonly desk: Desk;
  readonly log: Logger;
  readonly now: () => Date;
  /** The address a request counts as (its peer, or what a trusted proxy saw). */
  readonly addressOf: (req: IncomingMessage) => string;
  /** Failed sign-ins per address and per account. */
  readonly signInFailures: SignInLimiters;
  /** Promises kept for later, soonest first (the scheduler's tasks). */
  readonly promises: () => readonly StoredTask[];
  /** The conversations' photos and PDFs, linked from transcripts. */
  readonly files: Pick<Attachments, 'find' | 'read'>;
  /** Customers' requests about their data, and the retention period (admin-privacy.ts). */
  readonly privacy: PrivacyActions;
}

/** A 405 with the methods its path does accept in the Allow header. */
function methodNotAllowed(allow: string, message: string): AdminError {
  return new AdminError(405, 'method_not_allowed', message, { Allow: allow });
}

const DISABLED_MESSAGE = 'admin is disabled: set TACT_ADMIN_TOKEN (at least 32 characters) and restart the server';

/** True for /admin and everything under it, which the server sends here. */
export function isAdminPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path === '/admin' || path.startsWith('/admin/');
}

/**
 * The /admin handler; the server sends it every request for which isAdminPath is true.
 *
 * @example
 *   const admin = createAdminHandler({ token: config.adminToken, kbDir: config.kbDir, kb: () => knowledge.current.kb, … });
 *   createServer((req, res) => (isAdminPath(req.url) ? void admin(req, res) : api(req, res)));
 */
export function createAdminHandler(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (deps.token === null) return async (req, res) => refuse(req, res, new AdminError(404, 'admin_disabled', DISABLED_MESSAGE));
  const staff = new Staff(deps.store, deps.now);
  const auth = new AdminAuth(deps.token, staff);
  const limits = new SignInLimits(deps.signInFailures);
  const logout: Route = { method: 'POST', path: /^\/admin\/logout$/, need: 'view', handle: (r) => signOut(deps, auth, r.req, r.res) };
  const routes = [logout, ...dashboardRoutes(deps), ...kbRoutes(deps), ...gapRoutes(deps), ...conversationRoutes(deps), ...privacyRoutes(deps), ...fileRoutes(deps.files), ...staffRoutes({ ...deps, staff, limits })];
  const signIn: SignIn = { deps, auth, staff, limits };
  return async (req, res) => {
    try {
      await handle(signIn, routes, req, res);
    } catch (err) {
      fail(deps.log, req, res, err);
    }
  };
}

/** What signing in needs, passed as one. */
interface SignIn {
  readonly deps: AdminDeps;
  readonly auth: AdminAuth;
  readonly staff: Staff;
  readonly limits: SignInLimits;
}

async function handle(s: SignIn, routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { deps, auth } = s;
  const url = new URL(req.url ?? '/', 'http://admin.invalid');
  const path = url.pathname;
  if (req.method === 'GET' && serveAdminAsset(path, res)) return;
  if (path === '/admin/login') return login(s, req, res);
  const bearer = bearerToken(req) !== null;
  if (bearer) refuseAfter(await s.limits.bearerWait(deps.addressOf(req)), 'Too many wrong tokens from this address');
  const caller = await auth.caller(req, deps.now());
  if (!caller) {
    if (bearer) await s.limits.bearerFailed(deps.addressOf(req));
    return unauthenticated(req, res);
  }
  if (path === '/admin' || path === '/admin/') return redirect(res, may(caller.role, 'kb') || !may(caller.role, 'desk') ? '/admin/dashboard' : '/admin/conversations');
  const { route, params } = find(routes, req.method ?? 'GET', path);
  if (!may(caller.role, route.need)) throw new AdminError(403, 'forbidden', refusal(caller.role, route.need));
  const form = req.method === 'POST' ? await readForm(req, MAX_FORM_BYTES) : new URLSearchParams();
  if (req.method === 'POST' && !auth.csrfOk(caller, form.get('_csrf') ?? '')) throw new AdminError(403, 'csrf', 'This form is out of date or did not come from the admin pages. Reload the page and try again.');
  const csrf = csrfOf(caller);
  await route.handle({ req, res, url, params, form, csrf, viewer: { who: caller.who, role: caller.role, account: caller.account, csrf } });
}

/** A staff name and password, or the admin token; either way a session cookie. */
async function login(s: SignIn, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { deps, auth } = s;
  const firstSetup = async (): Promise<boolean> => (await s.staff.list()).length === 0;
  if (req.method === 'GET') return sendHtml(res, 200, loginPage(null, await firstSetup()));
  if (req.method !== 'POST') throw methodNotAllowed('GET, POST', '/admin/login accepts GET and POST only.');
  const form = await readForm(req, MAX_LOGIN_BYTES);
  const address = deps.addressOf(req);
  const token = form.get('token');
  if (token !== null) {
    await attempt(s, address, null);
    if (!auth.isToken(token)) {
      deps.log.warn('admin.login_failed', { from: address, with: 'token' });
      return sendHtml(res, 401, loginPage('That is not the admin token.', await firstSetup()));
    }
    await s.limits.succeeded(address, 'admin (token)');
    deps.log.info('admin.login', { who: 'admin (token)' });
    return redirect(res, '/admin/dashboard', { 'Set-Cookie': auth.cookie(auth.newSession(deps.now(), null), isHttps(req)) });
  }
  const name = (form.get('name') ?? '').trim().slice(0, 200);
  await attempt(s, address, name);
  const checked = await s.limits.check(() => s.staff.signIn(name, form.get('password') ?? ''));
  if (checked === null) refuseAfter(s.limits.busyMs, 'Many sign-ins are being checked just now', 503);
  const person = checked?.value ?? null;
  if (!person) {
    // The name is logged as typed only when it is a staff member's: a password typed into the name field must not reach the log.
    const known = (await s.staff.find(name).catch(() => null))?.name ?? null;
    deps.log.warn('admin.login_failed', { from: address, with: 'password', name: known });
    // The name typed is given back whether or not it is someone's: the page must not tell which names exist.
    return sendHtml(res, 401, loginPage('Wrong name or password.', await firstSetup(), name.slice(0, 40)));
  }
  await s.limits.succeeded(address, person.name);
  deps.log.info('admin.login', { who: person.name, role: person.role });
  redirect(res, person.role === 'agent' ? '/admin/conversations' : '/admin/dashboard', { 'Set-Cookie': auth.cookie(auth.newSession(deps.now(), person), isHttps(req)) });
}

/** Counts a sign-in before anything is checked, and refuses it when its address (or the account it names) must wait. */
async function attempt(s: SignIn, address: string, name: string | null): Promise<void> {
  const held = await s.limits.attempt(address, name);
  if (held === null) return;
  refuseAfter(held.waitMs, held.by === 'address' ? 'Too many sign-ins from this address' : 'Too many sign-ins for this account');
}

/** Refuses with 429 (or `status`) and Retry-After, when there is a wait. */
function refuseAfter(waitMs: number, why: string, status: 429 | 503 = 429): void {
  if (waitMs <= 0) return;
  const seconds = retryAfterSeconds(waitMs);
  throw new AdminError(status, status === 429 ? 'too_many_attempts' : 'busy', `${why}. Try again in ${seconds} seconds.`, { 'Retry-After': String(seconds) });
}

async function signOut(deps: AdminDeps, auth: AdminAuth, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await auth.endSession(req, deps.now());
  redirect(res, '/admin/login', { 'Set-Cookie': auth.cookie('', isHttps(req)) });
}

/** A browser is sent to sign in; anything else (a form post, a script with a wrong token) is refused. */
function unauthenticated(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.headers.authorization === undefined) return redirect(res, '/admin/login');
  throw new AdminError(401, 'unauthorized', 'Sign in at /admin/login first, or send the admin token as "Authorization: Bearer <TACT_ADMIN_TOKEN>".');
}

function find(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } {
  const onPath = routes.flatMap((route) => {
    const m = route.path.exec(path);
    return m ? [{ route, params: m.slice(1).map(decode) }] : [];
  });
  const hit = onPath.find((x) => x.route.method === method);
  if (hit) return hit;
  if (onPath.length > 0) throw methodNotAllowed([...new Set(onPath.map((x) => x.route.method))].join(', '), `${path} does not accept ${method}.`);
  throw new AdminError(404, 'not_found', 'There is no such admin page.');
}

function decode(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    throw new AdminError(400, 'bad_path', 'The address is not valid.');
  }
}

function csrfOf(caller: Caller): string {
  return caller.kind === 'session' ? caller.csrf : '';
}

/** Behind a TLS-terminating proxy the cookie is still marked Secure. */
function isHttps(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket || req.headers['x-forwarded-proto'] === 'https';
}

function fail(log: Logger, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const e = err instanceof AdminError ? err : new AdminError(500, 'internal', 'Something went wrong on our side; the server log has the details.');
  if (!(err instanceof AdminError)) log.error('admin.failed', { path: (req.url ?? '').split('?')[0], err });
  if (res.headersSent) {
    res.end();
    return;
  }
  refuse(req, res, e);
  // A body too large is not read to its end: the connection goes rather than the server reading on.
  if (e.status === 413) req.destroy();
}

/** A page for a browser; for a script that asks for JSON, the coded error /api uses. */
function refuse(req: IncomingMessage, res: ServerResponse, e: AdminError): void {
  const headers: Record<string, string> = { ...e.headers };
  if (!/\bapplication\/json\b/.test(req.headers.accept ?? '')) return sendHtml(res, e.status, messagePage(title(e), e.message, e.code !== 'admin_disabled'), headers);
  const body = JSON.stringify({ error: { code: e.code, message: e.message } });
  res.writeHead(e.status, { ...ADMIN_HEADERS, ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function title({ status, code }: AdminError): string {
  if (code === 'admin_disabled') return 'Admin is disabled';
  if (status === 401) return 'Please sign in';
  if (status === 403) return 'Refused';
  if (status === 404) return 'Not found';
  if (status === 409) return 'Changed meanwhile';
  if (status === 413) return 'Too large';
  if (status === 429) return 'Too many attempts';
  return status >= 500 ? 'Server error' : 'Cannot do that';
}
