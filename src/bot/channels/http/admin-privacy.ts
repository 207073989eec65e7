/**
 * The Privacy page of /admin: a customer's requests about their data,
 * answered while the server runs (`tact customer` needs the data directory
 * to itself), and what retention does.
 *
 *   GET  /admin/privacy          the forms, the retention period, the audit's latest entries (counts only)
 *   POST /admin/privacy/forget   every conversation of the customer anonymised (pipeline/forget.ts); needs confirm=yes
 *   POST /admin/privacy/export   everything held about the customer, as a JSON download
 *
 * Both forms carry the session's CSRF token (checked in admin.ts). The key
 * typed is never shown back, logged or kept: the page says only how many
 * conversations were found.
 */
import { CustomerKeyError, MAX_KEY_LENGTH, parseCustomerKey, type CustomerKey } from '../../core/customer-key.js';
import type { CustomerExport } from '../../pipeline/customer-export.js';
import type { Forgotten } from '../../pipeline/forget.js';
import { PRIVACY_AUDIT_LOG } from '../../pipeline/privacy-audit.js';
import type { Store, StoredEvent } from '../../store/store.js';
import { html, type Html } from './admin-html.js';
import { ADMIN_HEADERS, AdminError, field, redirect, sendHtml, type AdminRequest, type Route, type Viewer } from './admin-http.js';
import { csrfField, page } from './admin-layout.js';

export interface PrivacyActions {
  forget(key: CustomerKey, by: string): Promise<Forgotten>;
  export(key: CustomerKey, by: string): Promise<CustomerExport>;
  /** TACT_RETENTION_DAYS; null: kept for ever. */
  readonly retentionDays: number | null;
}

export interface PrivacyRouteDeps {
  readonly store: Store;
  readonly privacy: PrivacyActions;
}

/** Audit entries the page shows, latest first. */
const AUDIT_SHOWN = 20;

export function privacyRoutes(d: PrivacyRouteDeps): Route[] {
  return [
    { method: 'GET', path: /^\/admin\/privacy$/, need: 'privacy', handle: (r) => show(d, r) },
    { method: 'POST', path: /^\/admin\/privacy\/forget$/, need: 'privacy', handle: (r) => forget(d, r) },
    { method: 'POST', path: /^\/admin\/privacy\/export$/, need: 'privacy', handle: (r) => exportData(d, r) },
  ];
}

async function show(d: PrivacyRouteDeps, r: AdminRequest): Promise<void> {
  const audit = (await d.store.read(PRIVACY_AUDIT_LOG)).filter((e): e is Extract<StoredEvent, { kind: 'privacy'; op: 'audit' }> => e.kind === 'privacy' && e.op === 'audit');
  const forgot = r.url.searchParams.get('forgot');
  const done = forgot !== null && /^\d{1,9}$/.test(forgot) ? Number(forgot) : null;
  sendHtml(r.res, 200, privacyPage(d.privacy.retentionDays, audit.slice(-AUDIT_SHOWN).reverse(), done, r.viewer));
}

async function forget(d: PrivacyRouteDeps, r: AdminRequest): Promise<void> {
  const key = keyOf(r);
  if (field(r.form, 'confirm', 10) !== 'yes') throw new AdminError(422, 'not_confirmed', 'Tick the box to confirm: forgetting cannot be undone.');
  const done = await d.privacy.forget(key, r.viewer.who);
  redirect(r.res, `/admin/privacy?forgot=${done.conversations}`);
}

async function exportData(d: PrivacyRouteDeps, r: AdminRequest): Promise<void> {
  const data = await d.privacy.export(keyOf(r), r.viewer.who);
  const body = Buffer.from(JSON.stringify(data, null, 2));
  r.res.writeHead(200, { ...ADMIN_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Content-Disposition': `attachment; filename="customer-export-${data.exportedAt.slice(0, 10)}.json"` });
  r.res.end(body);
}

function keyOf(r: AdminRequest): CustomerKey {
  const raw = r.form.get('customer') ?? '';
  try {
    return parseCustomerKey(raw);
  } catch (err) {
    if (err instanceof CustomerKeyError) throw new AdminError(422, 'bad_customer_key', `${err.message}.`);
    throw err;
  }
}

function privacyPage(retentionDays: number | null, audit: readonly Extract<StoredEvent, { kind: 'privacy'; op: 'audit' }>[], forgot: number | null, viewer: Viewer): Html {
  const retention = retentionDays === null ? html`Conversations are kept for ever (<code>TACT_RETENTION_DAYS=off</code>).` : html`Conversations inactive for ${retentionDays} days are anonymised every day (<code>TACT_RETENTION_DAYS</code>): text, contact details and files removed, counts kept.`;
  const body = html`${forgot !== null ? html`<p class="card" role="status">Forgot ${forgot} conversation(s).${forgot === 0 ? ' Nothing of that customer was found.' : ''}</p>` : ''}
<p class="hint">${retention}</p>
<section class="card" aria-labelledby="forget"><h2 id="forget">Forget a customer</h2>
<p class="hint">Every conversation of the customer — by conversation id, the shop's customer id, a phone number or an e-mail address they gave — is anonymised: what they said and left, their files, pending e-mails and follow-ups, Tact's posts in Slack. The dashboard's counts stay. This cannot be undone.</p>
<form method="post" action="/admin/privacy/forget" class="stack">
${csrfField(viewer.csrf)}
<label for="forget-customer">Customer</label><input id="forget-customer" name="customer" type="text" maxlength="${MAX_KEY_LENGTH}" autocomplete="off" required>
<label><input type="checkbox" name="confirm" value="yes" required> The customer asked for this; forget them</label>
<button type="submit">Forget</button>
</form></section>
<section class="card" aria-labelledby="export"><h2 id="export">Export a customer's data</h2>
<form method="post" action="/admin/privacy/export" class="stack">
${csrfField(viewer.csrf)}
<label for="export-customer">Customer</label><input id="export-customer" name="customer" type="text" maxlength="${MAX_KEY_LENGTH}" autocomplete="off" required>
<button type="submit">Download JSON</button>
</form></section>
<section class="card" aria-labelledby="audit"><h2 id="audit">Audit</h2>
${audit.length === 0 ? html`<p>Nothing yet.</p>` : html`<ul>${audit.map((e) => html`<li><time datetime="${e.at}">${e.at.slice(0, 16).replace('T', ' ')} UTC</time>: ${e.action} by ${e.by}, ${e.conversations} conversation(s), ${e.files} file(s)</li>`)}</ul>`}
</section>`;
  return page({ title: 'Privacy', section: 'privacy', body, viewer });
}
