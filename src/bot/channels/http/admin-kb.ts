/**
 * The knowledge-base routes of /admin:
 *
 *   GET  /admin/kb?q=        the FAQs, searched
 *   GET  /admin/kb/new       the editor for a new FAQ (POST: prefilled with a gap's question)
 *   GET  /admin/kb/faq/:id   the editor for one FAQ, as it is on disk now
 *   POST /admin/kb/save      saveFaq; problems next to their fields, a conflict keeps the typed text
 *   POST /admin/kb/try       the decision for a message against the unsaved draft
 *   POST /admin/kb/delete    asks to confirm, then (confirm=yes) removeFaq; back to the list
 *
 * The editor reads the KB files, not the index in force: right after a save
 * the files are ahead of the server for a moment, and an editor must always
 * start from (and send back the version of) what is on disk.
 */
import { relative, resolve } from 'node:path';
import { EditError, faqVersion, removeFaq, saveFaq, type FaqDraft } from '../../../kb/edit.js';
import { formatProblem, KbError } from '../../../kb/errors.js';
import { loadFaqs } from '../../../kb/load.js';
import { ID_PATTERN, type Faq, type KnowledgeBase } from '../../../kb/types.js';
import type { Decision } from '../../core/decision.js';
import type { Logger } from '../../log.js';
import { checkIds, draftOf, EMPTY_FORM, formOf, formProblems, readFaqForm, type FaqForm, type FormProblem } from './admin-faq-form.js';
import { html } from './admin-html.js';
import { AdminError, field, redirect, sendHtml, type AdminRequest, type Route } from './admin-http.js';
import { faqDeletePage, faqEditorPage, faqListPage, type EditorView } from './admin-kb-pages.js';

export interface KbRouteDeps {
  readonly kbDir: string;
  /** The KB in force (the server's hot-reloaded one). */
  readonly kb: () => KnowledgeBase;
  readonly tryDraft: (draft: FaqDraft, text: string) => Decision;
  readonly log: Logger;
  readonly now: () => Date;
}

export function kbRoutes(d: KbRouteDeps): Route[] {
  return [
    { method: 'GET', path: /^\/admin\/kb$/, need: 'kb', handle: (r) => list(d, r) },
    { method: 'GET', path: /^\/admin\/kb\/new$/, need: 'kb', handle: (r) => editor(d, r, 200, { form: EMPTY_FORM, isNew: true }) },
    { method: 'POST', path: /^\/admin\/kb\/new$/, need: 'kb', handle: (r) => editor(d, r, 200, { form: prefilled(field(r.form, 'question', 2000)), isNew: true }) },
    { method: 'GET', path: /^\/admin\/kb\/faq\/([^/]+)$/, need: 'kb', handle: (r) => open(d, r) },
    { method: 'POST', path: /^\/admin\/kb\/save$/, need: 'kb', handle: (r) => save(d, r) },
    { method: 'POST', path: /^\/admin\/kb\/try$/, need: 'kb', handle: (r) => tryIt(d, r) },
    { method: 'POST', path: /^\/admin\/kb\/delete$/, need: 'kb', handle: (r) => remove(d, r) },
  ];
}

function list(d: KbRouteDeps, r: AdminRequest): void {
  const faqs = diskFaqs(d);
  const removed = field(r.url.searchParams, 'removed', 200);
  const notice = ID_PATTERN.test(removed) && !faqs.some((f) => f.id === removed) ? removed : null;
  sendHtml(r.res, 200, faqListPage(faqs, field(r.url.searchParams, 'q', 200), notice, r.viewer));
}

function open(d: KbRouteDeps, r: AdminRequest): void {
  const id = r.params[0] ?? '';
  const faq = diskFaqs(d).find((f) => f.id === id);
  if (!faq) throw new AdminError(404, 'faq_not_found', `There is no FAQ "${id}".`);
  const version = faqVersion(faq);
  const live = d.kb().faqs.find((f) => f.id === id);
  const isLive = live !== undefined && faqVersion(live) === version;
  const saved = r.url.searchParams.get('saved') === '1';
  const status = isLive ? 'The server is answering with this version.' : 'The server picks up changes to the KB files within about a second; reload this page to see that this version is live.';
  const notice = saved || !isLive ? { kind: 'notice' as const, body: html`${saved ? 'Saved. ' : ''}${status}` } : null;
  editor(d, r, 200, { form: formOf(faq, version), isNew: false, notice });
}

function save(d: KbRouteDeps, r: AdminRequest): void {
  const form = readFaqForm(r.form);
  const isNew = form.version === '';
  const problems = checkIds(form);
  if (problems.length > 0) return editor(d, r, 422, { form, isNew, problems });
  try {
    const saved = saveFaq(d.kbDir, draftOf(form), isNew ? null : form.version, r.viewer.who, d.now());
    d.log.info('admin.faq_saved', { faq: saved.id, action: isNew ? 'add' : 'edit', who: r.viewer.who });
    redirect(r.res, `/admin/kb/faq/${encodeURIComponent(saved.id)}?saved=1`);
  } catch (err) {
    refused(d, r, form, isNew, err);
  }
}

/** Shows why a save was refused, with everything the editor typed still in the form. */
function refused(d: KbRouteDeps, r: AdminRequest, form: FaqForm, isNew: boolean, err: unknown): void {
  if (err instanceof KbError) {
    // A KB already broken on disk is reported as such (diskFaqs throws), not as problems with the draft.
    diskFaqs(d);
    return editor(d, r, 422, { form, isNew, problems: formProblems(err.problems) });
  }
  if (!(err instanceof EditError)) throw err;
  switch (err.code) {
    case 'FAQ_EXISTS':
      return editor(d, r, 409, { form, isNew, problems: [{ field: 'id', message: `An FAQ "${form.id}" already exists; pick another id or edit that one.` }] });
    case 'FAQ_CONFLICT':
      return editor(d, r, 409, {
        form,
        isNew,
        notice: {
          kind: 'alert',
          body: html`This FAQ was changed by someone else since you opened it, so your change was not saved. Your text is still below: copy what you need, then <a href="/admin/kb/faq/${encodeURIComponent(form.id)}">reload the FAQ</a> and make your change again.`,
        },
      });
    case 'FAQ_NOT_FOUND':
      return editor(d, r, 409, { form: { ...form, version: '' }, isNew: true, notice: { kind: 'alert', body: html`This FAQ was removed since you opened it. Your text is still below; saving it adds it again as a new FAQ.` } });
  }
}

/** The editor's Delete button lands on a confirmation; only its "Delete for good" (confirm=yes) deletes. */
function remove(d: KbRouteDeps, r: AdminRequest): void {
  const id = field(r.form, 'id', 200);
  const version = field(r.form, 'version', 100);
  const faq = diskFaqs(d).find((f) => f.id === id);
  if (!faq?.source) throw new AdminError(404, 'faq_not_found', `There is no FAQ "${id}"; it may have been deleted already.`);
  if (version !== faqVersion(faq)) throw new AdminError(409, 'faq_changed', `FAQ "${id}" was changed by someone else since you opened it, so it was not deleted. Open it again and decide on what it says now.`);
  if (r.form.get('confirm') !== 'yes') return sendHtml(r.res, 200, faqDeletePage(faq, version, relative(resolve(d.kbDir), resolve(faq.source.file)), r.viewer));
  try {
    removeFaq(d.kbDir, id, version, r.viewer.who, d.now());
  } catch (err) {
    throw removalRefused(err);
  }
  d.log.info('admin.faq_removed', { faq: id });
  redirect(r.res, `/admin/kb?removed=${encodeURIComponent(id)}`);
}

function removalRefused(err: unknown): unknown {
  if (err instanceof KbError) return new AdminError(422, 'kb_refused', `The KB would not load without this FAQ, so it was not deleted: ${err.problems.map(formatProblem).join('; ')}`);
  if (!(err instanceof EditError)) return err;
  switch (err.code) {
    case 'FAQ_NOT_FOUND':
      return new AdminError(404, 'faq_not_found', `${err.message}; it may have been deleted already.`);
    case 'FAQ_CONFLICT':
      return new AdminError(409, 'faq_changed', err.message);
    case 'FAQ_REFERENCED':
      return new AdminError(422, 'faq_referenced', `Not deleted: ${err.message}.`);
    case 'FAQ_EXISTS':
      return err;
  }
}

function tryIt(d: KbRouteDeps, r: AdminRequest): void {
  const form = readFaqForm(r.form);
  const isNew = form.version === '';
  if (form.message === '') return editor(d, r, 422, { form, isNew, notice: { kind: 'alert', body: html`Type a customer message to try.` } });
  editor(d, r, 200, { form, isNew, decision: d.tryDraft(draftOf(form), form.message) });
}

type EditorParts = Pick<EditorView, 'form' | 'isNew'> & Partial<Pick<EditorView, 'problems' | 'notice' | 'decision'>>;
const NO_PROBLEMS: readonly FormProblem[] = [];

function editor(d: KbRouteDeps, r: AdminRequest, status: number, v: EditorParts): void {
  const view: EditorView = { problems: NO_PROBLEMS, notice: null, decision: null, ...v, categories: categories(d), viewer: r.viewer };
  sendHtml(r.res, status, faqEditorPage(view));
}

/** A gap's question in the field for its language. */
function prefilled(question: string): FaqForm {
  return /\p{Script=Han}/u.test(question) ? { ...EMPTY_FORM, questionZh: question } : { ...EMPTY_FORM, questionEn: question };
}

/** The FAQs as the files hold them now; a KB that does not load is shown with its problems (the server keeps serving the last good one). */
function diskFaqs(d: KbRouteDeps): Faq[] {
  try {
    return loadFaqs(d.kbDir);
  } catch (err) {
    if (!(err instanceof KbError)) throw err;
    throw new AdminError(503, 'kb_invalid', `The KB files have errors, so they cannot be edited here until they are fixed (the server keeps answering with the last valid KB): ${err.problems.map(formatProblem).join('; ')}`);
  }
}

function categories(d: KbRouteDeps): string[] {
  const names = new Set([...d.kb().categories.map((c) => c.id), ...d.kb().faqs.map((f) => f.category)]);
  return [...names].sort();
}
