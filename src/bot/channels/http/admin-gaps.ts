/**
 * The gaps page of /admin: what customers asked that the KB could not
 * answer, clustered and ranked (as `tact kb gaps` prints it), each with two
 * ways to close it:
 *
 *   GET  /admin/gaps?days=N      the clusters of the last N days (default 30), most asked first
 *   POST /admin/gaps/alternate   the phrasing becomes one more alternate of the chosen FAQ
 *   (Create FAQ posts the question to /admin/kb/new, the editor prefilled)
 *
 * Customer words are masked before they are shown, so they are masked in
 * anything the editor saves from here too.
 */
import { maskPii } from '../../core/mask.js';
import type { Logger } from '../../log.js';
import type { Gap } from '../../../eval/gaps.js';
import { addAlternate, EditError } from '../../../kb/edit.js';
import { formatProblem, KbError } from '../../../kb/errors.js';
import type { Faq, KnowledgeBase } from '../../../kb/types.js';
import type { Conversations } from './admin-handoffs.js';
import { html, type Html } from './admin-html.js';
import { AdminError, field, redirect, sendHtml, type AdminRequest, type Route, type Viewer } from './admin-http.js';
import { csrfField, page } from './admin-layout.js';
import { readConversations, type Store } from '../../store/store.js';
import { DAY_MS } from './admin-stats.js';

export interface GapRouteDeps {
  readonly kbDir: string;
  readonly kb: () => KnowledgeBase;
  readonly store: Store;
  readonly gaps: (conversations: Conversations, since: Date | null) => readonly Gap[];
  readonly log: Logger;
  readonly now: () => Date;
}

/** The page lists this many clusters; the rest wait until these are closed. */
const MAX_GAPS = 30;
/** The windows an editor can pick; only conversations active in it are read, so a view never reads every one. */
const WINDOWS = [7, 30, 90, 365] as const;
const DEFAULT_DAYS = 30;
/** The KB's limit for one alternate. */
const MAX_PHRASING = 500;

export function gapRoutes(d: GapRouteDeps): Route[] {
  return [
    { method: 'GET', path: /^\/admin\/gaps$/, need: 'kb', handle: (r) => showGaps(d, r) },
    { method: 'POST', path: /^\/admin\/gaps\/alternate$/, need: 'kb', handle: (r) => addAsAlternate(d, r) },
  ];
}

async function showGaps(d: GapRouteDeps, r: AdminRequest): Promise<void> {
  const days = windowDays(r.url.searchParams.get('days'));
  const since = new Date(d.now().getTime() - days * DAY_MS);
  const gaps = d.gaps(await readConversations(d.store, { activeSince: since }), since);
  sendHtml(r.res, 200, gapsPage(gaps, days, d.kb().faqs, r.viewer));
}

function windowDays(asked: string | null): number {
  if (asked === null) return DEFAULT_DAYS;
  const days = WINDOWS.find((w) => String(w) === asked);
  if (days === undefined) throw new AdminError(400, 'bad_window', `days must be one of ${WINDOWS.join(', ')}.`);
  return days;
}

function addAsAlternate(d: GapRouteDeps, r: AdminRequest): void {
  const faqId = field(r.form, 'faq', 200);
  const phrasing = field(r.form, 'phrasing', MAX_PHRASING + 1);
  if (phrasing === '' || phrasing.length > MAX_PHRASING) throw new AdminError(422, 'bad_phrasing', `The phrasing must be 1 to ${MAX_PHRASING} characters.`);
  try {
    addAlternate(d.kbDir, faqId, phrasing, r.viewer.who, d.now());
  } catch (err) {
    if (err instanceof EditError) throw new AdminError(404, 'faq_not_found', err.message);
    if (err instanceof KbError) throw new AdminError(422, 'kb_refused', `The KB refused the alternate: ${err.problems.map(formatProblem).join('; ')}`);
    throw err;
  }
  d.log.info('admin.alternate_added', { faq: faqId, who: r.viewer.who });
  redirect(r.res, `/admin/kb/faq/${encodeURIComponent(faqId)}?saved=1`);
}

function gapsPage(gaps: readonly Gap[], days: number, faqs: readonly Faq[], viewer: Viewer): Html {
  const csrf = viewer.csrf;
  const shown = gaps.slice(0, MAX_GAPS);
  const body = html`<p class="hint">Messages the bot answered with “none” or a clarifying question, grouped into similar questions, most asked first. Add a phrasing to the FAQ that answers it, or create a new FAQ.</p>
<nav aria-label="Period"><p>Asked in the last ${WINDOWS.map((w, i) => html`${i > 0 ? ' · ' : ''}${w === days ? html`<strong aria-current="page">${w} days</strong>` : html`<a href="/admin/gaps?days=${w}">${w} days</a>`}`)}</p></nav>
${shown.length === 0 ? html`<p class="card">No unanswered questions in the last ${days} days.</p>` : shown.map((g, i) => gapCard(g, i, faqs, csrf))}
${gaps.length > shown.length ? html`<p class="hint">${gaps.length - shown.length} smaller clusters not shown; <code>tact kb gaps</code> lists them all.</p>` : ''}`;
  return page({ title: 'Gaps', section: 'gaps', body, viewer });
}

function gapCard(g: Gap, i: number, faqs: readonly Faq[], csrf: string): Html {
  const id = `gap-${i + 1}`;
  const message = maskPii(g.message);
  const closest = g.closestFaq?.id ?? '';
  return html`<article class="card" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">“${message}”</h2>
<p>Asked ${g.count} ${g.count === 1 ? 'time' : 'times'} · the bot ${g.action === 'none' ? 'had no answer' : 'asked which FAQ was meant'} · last <time datetime="${g.lastAsked}">${g.lastAsked.slice(0, 10)}</time></p>
${g.examples.length > 1 ? html`<details><summary>${g.examples.length} ways it was asked</summary><ul>${g.examples.map((e) => html`<li>${maskPii(e)}</li>`)}</ul></details>` : ''}
<p>Closest FAQ: ${g.closestFaq ? html`<a href="/admin/kb/faq/${encodeURIComponent(g.closestFaq.id)}">${g.closestFaq.id}</a> — ${g.closestFaq.question} (${g.closestFaq.confidence.toFixed(2)})` : 'none'}</p>
<form method="post" action="/admin/gaps/alternate" class="row">
${csrfField(csrf)}
<div><label for="${id}-phrasing">Phrasing</label><input id="${id}-phrasing" name="phrasing" type="text" value="${message}" maxlength="${MAX_PHRASING}" required></div>
<div><label for="${id}-faq">Add as alternate to FAQ</label><select id="${id}-faq" name="faq">${faqs.map((f) => html`<option value="${f.id}"${f.id === closest ? html` selected` : ''}>${f.id} — ${f.question.zh ?? f.question.en ?? ''}</option>`)}</select></div>
<button type="submit">Add as alternate</button>
</form>
<form method="post" action="/admin/kb/new">
${csrfField(csrf)}
<input type="hidden" name="question" value="${message}">
<button type="submit" class="secondary">Create FAQ from this question</button>
</form>
</article>`;
}
