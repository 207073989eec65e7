/**
 * The frame every admin page shares: head, navigation, the sign-out form,
 * and the pages that have no section of their own (sign in, disabled,
 * errors). Pages put their content in `body`; all text goes through `html`.
 */
import { html, type Html } from './admin-html.js';
import { ASSETS } from './admin-assets.js';

export type Section = 'dashboard' | 'kb' | 'gaps' | 'conversations' | 'privacy';

const SECTIONS: readonly { readonly id: Section; readonly href: string; readonly label: string }[] = [
  { id: 'dashboard', href: '/admin/dashboard', label: 'Dashboard' },
  { id: 'kb', href: '/admin/kb', label: 'Knowledge base' },
  { id: 'gaps', href: '/admin/gaps', label: 'Gaps' },
  { id: 'conversations', href: '/admin/conversations', label: 'Conversations' },
  { id: 'privacy', href: '/admin/privacy', label: 'Privacy' },
];

export interface Shell {
  readonly title: string;
  readonly section: Section | null;
  readonly body: Html;
  /** The caller's CSRF token, for the sign-out form; '' hides it (Bearer callers have no session). */
  readonly csrf?: string;
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
${SECTIONS.map((x) => html`<a href="${x.href}"${x.id === s.section ? html` aria-current="page"` : ''}>${x.label}</a>`)}
${s.csrf ? html`<form method="post" action="/admin/logout" class="inline">${csrfField(s.csrf)}<button type="submit" class="link">Sign out</button></form>` : ''}
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

export function loginPage(problem: string | null): Html {
  return bare(
    'Sign in',
    html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<form method="post" action="/admin/login" class="stack">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<p class="hint">The value of TACT_ADMIN_TOKEN on the server. Sessions last 12 hours.</p>
<button type="submit">Sign in</button>
</form>`,
  );
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
