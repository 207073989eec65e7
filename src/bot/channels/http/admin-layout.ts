/**
 * The frame every admin page shares: head, navigation, the sign-out form,
 * and the pages that have no section of their own (sign in, disabled,
 * errors). Pages put their content in `body`; all text goes through `html`.
 */
import { html, type Html } from './admin-html.js';
import { ASSETS } from './admin-assets.js';
import type { Viewer } from './admin-http.js';
import { may, type Permission } from './admin-roles.js';

export type Section = 'dashboard' | 'kb' | 'gaps' | 'conversations' | 'privacy' | 'staff';

const SECTIONS: readonly { readonly id: Section; readonly href: string; readonly label: string; readonly need: Permission }[] = [
  { id: 'dashboard', href: '/admin/dashboard', label: 'Dashboard', need: 'view' },
  { id: 'kb', href: '/admin/kb', label: 'Knowledge base', need: 'kb' },
  { id: 'gaps', href: '/admin/gaps', label: 'Gaps', need: 'kb' },
  { id: 'conversations', href: '/admin/conversations', label: 'Conversations', need: 'desk' },
  { id: 'privacy', href: '/admin/privacy', label: 'Privacy', need: 'privacy' },
  { id: 'staff', href: '/admin/staff', label: 'Staff', need: 'staff' },
];

export interface Shell {
  readonly title: string;
  readonly section: Section | null;
  readonly body: Html;
  /** Who the page is for: the sections their role allows, and (with a session) their name and the sign-out form. */
  readonly viewer: Viewer;
  /** Reload the page this often, unless the editor is typing (assets' admin.js). */
  readonly refreshSeconds?: number;
}

export function page(s: Shell): Html {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${s.title} · Tact admin</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS.css}">
<script src="${ASSETS.js}" defer></script>
</head>
<body${s.refreshSeconds ? html` data-refresh="${s.refreshSeconds}"` : ''}>
<header>
<nav aria-label="Admin sections">
<strong>Tact admin</strong>
${SECTIONS.filter((x) => may(s.viewer.role, x.need)).map((x) => html`<a href="${x.href}"${x.id === s.section ? html` aria-current="page"` : ''}>${x.label}</a>`)}
${s.viewer.csrf ? html`<span class="who">${s.viewer.who} · ${s.viewer.role}</span><form method="post" action="/admin/logout" class="inline">${csrfField(s.viewer.csrf)}<button type="submit" class="link">Sign out</button></form>` : ''}
</nav>
</header>
<main>
<h1>${s.title}</h1>
${s.body}
</main>
</body>
</html>`;
}

/** Every form that changes something carries this; the server checks it against the session. */
export function csrfField(csrf: string): Html {
  return csrf ? html`<input type="hidden" name="_csrf" value="${csrf}">` : html``;
}

/**
 * Staff sign in with their name and password; the admin token signs in too.
 * Before anyone has an account (`firstSetup`) the token is the only way in, so only its form is shown.
 */
export function loginPage(problem: string | null, firstSetup: boolean, name = ''): Html {
  const alert = problem ? html`<p class="error" role="alert">${problem}</p>` : '';
  if (firstSetup) return bare('Sign in', html`${alert}<p class="hint">Nobody has a staff account yet: sign in with the admin token, then add people on the Staff page.</p>${tokenForm()}`);
  return bare(
    'Sign in',
    html`${alert}
<form method="post" action="/admin/login" class="stack">
<label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="username" maxlength="40" value="${name}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p class="hint">Sessions last 12 hours. An admin adds people on the Staff page, or with <code>tact staff add</code>.</p>
<button type="submit">Sign in</button>
</form>
<details>
<summary>Sign in with the admin token</summary>
${tokenForm()}
</details>`,
  );
}

function tokenForm(): Html {
  return html`<form method="post" action="/admin/login" class="stack">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<p class="hint">The value of TACT_ADMIN_TOKEN on the server: you act as an admin named “admin (token)”. Sessions last 12 hours.</p>
<button type="submit">Sign in</button>
</form>`;
}

/** A page with a message and no navigation: admin disabled, an error (with a way back). */
export function messagePage(title: string, message: string, back = false): Html {
  return bare(title, html`<p>${message}</p>${back ? html`<p><a href="/admin">Back to the admin pages</a></p>` : ''}`);
}

function bare(title: string, body: Html): Html {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tact admin</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS.css}">
</head>
<body>
<main class="narrow">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}
