/**
 * The admin pages' stylesheet and their one small script, served as files
 * so the Content-Security-Policy can forbid inline code. The pages work
 * without the script; it only reloads live lists while nobody is typing.
 */
import type { ServerResponse } from 'node:http';
import { ADMIN_HEADERS } from './admin-http.js';

export const ASSETS = { css: '/admin/assets/admin.css', js: '/admin/assets/admin.js' } as const;

const CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d5dae1; --accent: #1f5fbf; --bad: #b3261e; --ok: #1e7a3c; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); }
nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; max-width: 70rem; margin: 0 auto; padding: .6rem 1rem; }
nav a { color: var(--accent); text-decoration: none; padding: .2rem 0; }
nav a[aria-current="page"] { font-weight: 600; border-bottom: 2px solid var(--accent); }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
main.narrow { max-width: 28rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
label { display: block; font-weight: 600; margin-top: .75rem; }
input[type=text], input[type=password], input[type=search], select, textarea { width: 100%; font: inherit; padding: .45rem .55rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea { min-height: 6rem; resize: vertical; }
input:focus, select:focus, textarea:focus, button:focus, a:focus { outline: 3px solid #9cc0f5; outline-offset: 1px; }
input[readonly] { background: var(--bg); }
button { font: inherit; padding: .45rem 1rem; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.link { background: none; border: 0; color: var(--accent); padding: 0; text-decoration: underline; }
form.inline { display: inline; }
nav .who { margin-left: auto; color: var(--muted); font-size: .9rem; }
.stack > * + * { margin-top: .5rem; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.row > * { flex: 1 1 14rem; }
.row > button { flex: 0 0 auto; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.card > h2:first-child, .card > h3:first-child { margin-top: 0; }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
.error { color: var(--bad); font-weight: 600; margin: .2rem 0; }
.notice { border-left: 4px solid var(--ok); background: #fff; padding: .6rem 1rem; }
.alert { border-left: 4px solid var(--bad); background: #fff; padding: .6rem 1rem; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; background: #e7ecf4; font-size: .85rem; }
.badge.human { background: #fde7e4; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--line); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
dd ol { margin: 0; padding-left: 1.2rem; }
.transcript { max-height: 22rem; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; background: var(--bg); }
.transcript p { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.transcript a.file img { display: block; max-width: 10rem; max-height: 10rem; margin-top: .25rem; border-radius: 4px; border: 1px solid var(--line); }
.from-customer b { color: var(--ink); } .from-bot b { color: var(--muted); } .from-agent b { color: var(--ok); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.figure { font-size: 2rem; font-weight: 700; }
svg.chart { width: 100%; height: auto; }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar.alt { fill: #c9d3e3; }
svg.chart text { fill: var(--ink); font-size: 12px; }
svg.chart .axis { stroke: var(--line); }
pre.answer { white-space: pre-wrap; font: inherit; margin: 0; }
@media (max-width: 40rem) { th.optional, td.optional { display: none; } }
`;

/** Reloads a page marked data-refresh every N seconds, unless a form on it is being filled in. */
const JS = `'use strict';
(function () {
  var every = Number(document.body.getAttribute('data-refresh'));
  if (!every) return;
  function busy() {
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(active.tagName)) return true;
    return Array.prototype.some.call(document.querySelectorAll('textarea, input[type=text]'), function (el) { return el.value !== el.defaultValue; });
  }
  setInterval(function () { if (!busy()) location.reload(); }, every * 1000);
})();
`;

/** Serves the stylesheet and script; false for any other path. */
export function serveAdminAsset(path: string, res: ServerResponse): boolean {
  const body = path === ASSETS.css ? CSS : path === ASSETS.js ? JS : null;
  if (body === null) return false;
  const type = path === ASSETS.css ? 'text/css' : 'text/javascript';
  res.writeHead(200, { ...ADMIN_HEADERS, 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}
