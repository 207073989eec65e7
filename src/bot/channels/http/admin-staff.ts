/**
 * The staff routes of /admin, for admins only (admin-roles.ts):
 *
 *   GET  /admin/staff            the people, their roles, and the latest audit entries
 *   POST /admin/staff/add        name, role, password (twice): a new person
 *   POST /admin/staff/password   name, password (twice): a new password; their sessions end
 *   POST /admin/staff/revoke     name: their sessions end, on every instance
 *   POST /admin/staff/remove     name: the person and their sessions go
 *
 * The same as `tact staff` (cli/staff.ts); each change goes to the audit
 * log with who made it. A refused change (a taken name, a weak password)
 * shows the page again with the reason; passwords are never shown back.
 */
import type { Logger } from '../../log.js';
import { latestAudit, recordAudit, type AuditEntry } from '../../pipeline/staff-audit.js';
import { MAX_NAME_CHARS, STAFF_ROLES, StaffError, type Staff, type StaffMember } from '../../pipeline/staff.js';
import { MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS } from '../../pipeline/password.js';
import type { AuditAction, Store } from '../../store/store.js';
import { html, type Html } from './admin-html.js';
import { AdminError, field, redirect, sendHtml, type AdminRequest, type Route, type Viewer } from './admin-http.js';
import { csrfField, page } from './admin-layout.js';
import type { SignInLimits } from './admin-sign-in-limits.js';

export interface StaffRouteDeps {
  readonly staff: Staff;
  readonly store: Store;
  readonly limits: SignInLimits;
  readonly log: Logger;
  readonly now: () => Date;
}

const AUDIT_SHOWN = 50;

type Change = 'add' | 'password' | 'revoke' | 'remove';

const DONE: Readonly<Record<Change, string>> = { add: 'added', password: 'has a new password; their sessions ended', revoke: 'was signed out everywhere', remove: 'was removed' };
const AUDITED: Readonly<Record<Change, AuditAction>> = { add: 'staff-added', password: 'staff-password', revoke: 'staff-revoked', remove: 'staff-removed' };

export function staffRoutes(d: StaffRouteDeps): Route[] {
  const changes: readonly Change[] = ['add', 'password', 'revoke', 'remove'];
  return [
    { method: 'GET', path: /^\/admin\/staff$/, need: 'staff', handle: (r) => show(d, r, 200, notice(r)) },
    ...changes.map((change): Route => ({ method: 'POST', path: new RegExp(`^/admin/staff/${change}$`), need: 'staff', handle: (r) => apply(d, r, change) })),
  ];
}

async function apply(d: StaffRouteDeps, r: AdminRequest, change: Change): Promise<void> {
  const name = field(r.form, 'name', 200);
  try {
    const person = await run(d, r, change, name);
    await recordAudit(d.store, d.now(), { who: r.viewer.who, action: AUDITED[change], subject: person.name });
    d.log.info('admin.staff', { change, name: person.name, who: r.viewer.who });
    redirect(r.res, `/admin/staff?${new URLSearchParams({ done: change, name: person.name }).toString()}`);
  } catch (err) {
    if (!(err instanceof StaffError)) throw err;
    await show(d, r, err.code === 'STAFF_EXISTS' ? 409 : err.code === 'STAFF_UNKNOWN' ? 404 : 422, { kind: 'alert', text: `Not done: ${err.message}.` });
  }
}

async function run(d: StaffRouteDeps, r: AdminRequest, change: Change, name: string): Promise<StaffMember> {
  switch (change) {
    case 'add':
      return d.staff.add(name, field(r.form, 'role', 20), twice(r));
    case 'password': {
      const person = await d.staff.setPassword(name, twice(r));
      await d.limits.forgive(person.name);
      return person;
    }
    case 'revoke':
      return d.staff.revoke(name);
    case 'remove':
      return d.staff.remove(name);
  }
}

/** The password, typed the same twice (not trimmed: spaces are part of it). */
function twice(r: AdminRequest): string {
  const password = (r.form.get('password') ?? '').slice(0, MAX_PASSWORD_CHARS + 1);
  if (password !== (r.form.get('password2') ?? '').slice(0, MAX_PASSWORD_CHARS + 1)) throw new StaffError('STAFF_WEAK_PASSWORD', 'the two passwords differ');
  return password;
}

interface Notice {
  readonly kind: 'notice' | 'alert';
  readonly text: string;
}

/** What a redirect after a change says: "Lin was added". */
function notice(r: AdminRequest): Notice | null {
  const done = r.url.searchParams.get('done');
  const name = field(r.url.searchParams, 'name', MAX_NAME_CHARS);
  if (done === null) return null;
  const said = (Object.keys(DONE) as Change[]).find((c) => c === done);
  if (!said) throw new AdminError(400, 'bad_done', 'The address is not valid.');
  return { kind: 'notice', text: `${name} ${DONE[said]}.` };
}

async function show(d: StaffRouteDeps, r: AdminRequest, status: number, said: Notice | null): Promise<void> {
  sendHtml(r.res, status, staffPage(await d.staff.list(), await latestAudit(d.store, AUDIT_SHOWN), said, r.viewer));
}

function staffPage(people: readonly StaffMember[], audit: readonly AuditEntry[], said: Notice | null, viewer: Viewer): Html {
  const csrf = viewer.csrf;
  const body = html`${said ? html`<p class="${said.kind}" role="${said.kind === 'alert' ? 'alert' : 'status'}">${said.text}</p>` : ''}
<p class="hint">Editors change the knowledge base; agents work the conversations; admins do both and manage the staff. <code>tact staff</code> does the same from the command line.</p>
${people.length === 0 ? html`<p class="card">Nobody has an account yet: everyone signs in with the admin token. Add people below.</p>` : staffTable(people, csrf)}
<section class="card" aria-labelledby="add"><h2 id="add">Add someone</h2>
<form method="post" action="/admin/staff/add" class="stack">
${csrfField(csrf)}
<label for="add-name">Name (agents answer customers under it)</label>
<input id="add-name" name="name" type="text" maxlength="${MAX_NAME_CHARS}" required autocomplete="off">
<label for="add-role">Role</label>
<select id="add-role" name="role">${STAFF_ROLES.map((role) => html`<option value="${role}">${role}</option>`)}</select>
${passwordFields('add')}
<button type="submit">Add</button>
</form></section>
${auditList(audit)}`;
  return page({ title: 'Staff', section: 'staff', body, viewer });
}

function staffTable(people: readonly StaffMember[], csrf: string): Html {
  return html`<table>
<thead><tr><th>Name</th><th>Role</th><th class="optional">Since</th><th>Actions</th></tr></thead>
<tbody>${people.map((p, i) => html`<tr id="staff-${i + 1}">
<td>${p.name}</td><td>${p.role}</td><td class="optional"><time datetime="${p.since}">${p.since.slice(0, 10)}</time></td>
<td>
<form method="post" action="/admin/staff/revoke" class="inline">${csrfField(csrf)}<input type="hidden" name="name" value="${p.name}"><button type="submit" class="secondary">Sign out everywhere</button></form>
<form method="post" action="/admin/staff/remove" class="inline">${csrfField(csrf)}<input type="hidden" name="name" value="${p.name}"><button type="submit" class="secondary">Remove</button></form>
<details><summary>New password</summary>
<form method="post" action="/admin/staff/password" class="stack">${csrfField(csrf)}<input type="hidden" name="name" value="${p.name}">${passwordFields(`pw-${i + 1}`)}<button type="submit">Set password</button></form>
</details>
</td></tr>`)}</tbody>
</table>`;
}

function passwordFields(prefix: string): Html {
  return html`<label for="${prefix}-password">Password (at least ${MIN_PASSWORD_CHARS} characters)</label>
<input id="${prefix}-password" name="password" type="password" minlength="${MIN_PASSWORD_CHARS}" maxlength="${MAX_PASSWORD_CHARS}" required autocomplete="new-password">
<label for="${prefix}-password2">The same again</label>
<input id="${prefix}-password2" name="password2" type="password" minlength="${MIN_PASSWORD_CHARS}" maxlength="${MAX_PASSWORD_CHARS}" required autocomplete="new-password">`;
}

const ACTIONS: Readonly<Record<AuditAction, string>> = {
  reply: 'replied in',
  return: 'returned to the bot',
  resolve: 'resolved',
  'duty-on': 'went on duty',
  'duty-off': 'went off duty',
  'reveal-contact': 'revealed the contact details of',
  'staff-added': 'added',
  'staff-removed': 'removed',
  'staff-password': 'set a new password for',
  'staff-revoked': 'signed out everywhere',
};

function auditList(entries: readonly AuditEntry[]): Html {
  if (entries.length === 0) return html``;
  const what = (e: AuditEntry): string => [ACTIONS[e.action], e.subject, e.ticket ? `ticket ${e.ticket}` : undefined, e.conversation ? `(conversation ${e.conversation})` : undefined].filter((x) => x).join(' ');
  return html`<section class="card" aria-labelledby="audit"><h2 id="audit">Latest actions</h2><ul>${entries.map((e) => html`<li><time datetime="${e.at}">${e.at.slice(0, 16).replace('T', ' ')} UTC</time> · ${e.who} ${what(e)}</li>`)}</ul></section>`;
}
