/**
 * The knowledge-base pages: the FAQ list with its ranked search (see
 * kb/faq-search.ts), the editor (view, edit, add) with each validation
 * problem next to its field, the conflict notice and the "try it" box, and
 * the confirmation a delete asks for. Pure: data in, Html out.
 */
import type { Decision } from '../../core/decision.js';
import { searchFaqs } from '../../../kb/faq-search.js';
import type { Faq } from '../../../kb/types.js';
import { decisionView } from './admin-decision.js';
import { describeProblem, type FaqForm, type FormField, type FormProblem } from './admin-faq-form.js';
import { html, type Html } from './admin-html.js';
import type { Viewer } from './admin-http.js';
import { csrfField, page } from './admin-layout.js';

/** The FAQ list; `removed` names an FAQ just deleted, for the notice above it. */
export function faqListPage(faqs: readonly Faq[], query: string, removed: string | null, viewer: Viewer): Html {
  const shown = query ? searchFaqs(faqs, query) : faqs;
  const body = html`${removed ? html`<p class="notice" role="status">Deleted FAQ ${removed}. The server stops answering with it within about a second.</p>` : ''}
<form method="get" action="/admin/kb" class="row" role="search">
<div><label for="q">Search FAQs</label><input id="q" name="q" type="search" value="${query}" placeholder="id, question, alternate or answer"></div>
<button type="submit">Search</button>
</form>
<p><a href="/admin/kb/new">Add an FAQ</a> · ${shown.length} of ${faqs.length} FAQs${query ? html` matching “${query}”, most relevant first · <a href="/admin/kb">show all</a>` : ''}</p>
<table>
<thead><tr><th>Id</th><th>Question</th><th class="optional">Category</th><th class="optional">Alternates</th></tr></thead>
<tbody>
${shown.map(
  (f) => html`<tr>
<td><a href="/admin/kb/faq/${encodeURIComponent(f.id)}">${f.id}</a>${f.handoff ? html` <span class="badge human">always human</span>` : ''}</td>
<td>${f.question.zh ?? ''}${f.question.zh && f.question.en ? html`<br>` : ''}${f.question.en ?? ''}</td>
<td class="optional">${f.category}</td>
<td class="optional">${f.alternates.length}</td>
</tr>`,
)}
</tbody>
</table>`;
  return page({ title: 'Knowledge base', section: 'kb', body, viewer });
}

export interface EditorView {
  readonly form: FaqForm;
  /** A new FAQ: the id and category can be typed; an existing one keeps both (they name its file). */
  readonly isNew: boolean;
  readonly categories: readonly string[];
  readonly problems: readonly FormProblem[];
  /** A banner above the form: saved, live, a conflict. */
  readonly notice: { readonly kind: 'notice' | 'alert'; readonly body: Html } | null;
  readonly decision: Decision | null;
  readonly viewer: Viewer;
}

export function faqEditorPage(v: EditorView): Html {
  const f = v.form;
  const errors = (at: FormField): Html => fieldErrors(v.problems, at);
  const invalid = (at: FormField): Html => (v.problems.some((p) => p.field === at) ? html` aria-invalid="true" aria-describedby="${at}-error"` : html``);
  const body = html`${v.notice ? html`<p class="${v.notice.kind}" role="${v.notice.kind === 'alert' ? 'alert' : 'status'}">${v.notice.body}</p>` : ''}
${summary(v.problems)}
<form method="post" action="/admin/kb/save" class="card" novalidate>
${csrfField(v.viewer.csrf)}
<input type="hidden" name="version" value="${f.version}">
<label for="id">Id</label>
<input id="id" name="id" type="text" value="${f.id}"${v.isNew ? html` required` : html` readonly`}${invalid('id')}>
${errors('id')}
<label for="category">Category</label>
<input id="category" name="category" type="text" list="categories" value="${f.category}"${v.isNew ? html` required` : html` readonly`}${invalid('category')}>
<datalist id="categories">${v.categories.map((c) => html`<option value="${c}">`)}</datalist>
${v.isNew ? html`<p class="hint">Pick one or type a new category; a new one gets its own file.</p>` : html`<p class="hint">The id and category name the FAQ's file; change them in the files themselves.</p>`}
${errors('category')}
<fieldset>
<legend>Question</legend>
${errors('question')}
<label for="question_zh">中文</label>
<input id="question_zh" name="question_zh" type="text" lang="zh" value="${f.questionZh}"${invalid('question_zh')}>
${errors('question_zh')}
<label for="question_en">English</label>
<input id="question_en" name="question_en" type="text" lang="en" value="${f.questionEn}"${invalid('question_en')}>
${errors('question_en')}
</fieldset>
<label for="alternates">Alternates</label>
<p class="hint" id="alternates-hint">Other ways customers ask this, one per line.</p>
<textarea id="alternates" name="alternates" rows="5"${invalid('alternates')}>${f.alternates}</textarea>
${errors('alternates')}
<fieldset>
<legend>Answer</legend>
${errors('answer')}
<label for="answer_zh">中文</label>
<textarea id="answer_zh" name="answer_zh" lang="zh" rows="6"${invalid('answer_zh')}>${f.answerZh}</textarea>
${errors('answer_zh')}
<label for="answer_en">English</label>
<textarea id="answer_en" name="answer_en" lang="en" rows="6"${invalid('answer_en')}>${f.answerEn}</textarea>
${errors('answer_en')}
</fieldset>
<label><input type="checkbox" name="handoff"${f.handoff ? html` checked` : ''}> Always hand this question to a person</label>
${errors('handoff')}
<section class="card" aria-labelledby="try-heading">
<h2 id="try-heading">Try it</h2>
<p class="hint">What the bot would do with a message if this draft were saved (nothing is saved).</p>
<div class="row">
<div><label for="message">Customer message</label><input id="message" name="message" type="text" value="${f.message}"></div>
<button type="submit" formaction="/admin/kb/try" class="secondary">Try it</button>
</div>
${v.decision ? decisionView(f.message, v.decision) : ''}
</section>
<button type="submit" id="save">Save</button>
<p class="hint">Saving writes the FAQ to the KB's files (and the audit log); the server reloads them and answers with it within about a second.</p>
</form>
${v.isNew ? '' : deleteForm(f, v.viewer.csrf)}`;
  return page({ title: v.isNew ? 'Add an FAQ' : `FAQ ${f.id}`, section: 'kb', body, viewer: v.viewer });
}

function deleteForm(f: FaqForm, csrf: string): Html {
  return html`<form method="post" action="/admin/kb/delete" class="card">
${csrfField(csrf)}
<input type="hidden" name="id" value="${f.id}">
<input type="hidden" name="version" value="${f.version}">
<button type="submit" id="delete" class="secondary">Delete this FAQ…</button>
<p class="hint">You are asked to confirm first.</p>
</form>`;
}

/** The confirmation a delete asks for: the FAQ, where it goes from, and how to get it back. */
export function faqDeletePage(faq: Faq, version: string, file: string, viewer: Viewer): Html {
  const body = html`<div class="card">
<p>Delete this FAQ? Its lines are removed from <code>${file}</code> and the deletion is recorded in the audit log; the bot stops answering with it within about a second. To bring it back, add it again or restore the file from git.</p>
<dl>
<dt>Id</dt><dd>${faq.id}</dd>
<dt>Question</dt><dd>${faq.question.zh ?? ''}${faq.question.zh && faq.question.en ? html`<br>` : ''}${faq.question.en ?? ''}</dd>
<dt>Alternates</dt><dd>${faq.alternates.length}</dd>
</dl>
<form method="post" action="/admin/kb/delete" class="row">
${csrfField(viewer.csrf)}
<input type="hidden" name="id" value="${faq.id}">
<input type="hidden" name="version" value="${version}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" id="confirm-delete">Delete for good</button>
<a href="/admin/kb/faq/${encodeURIComponent(faq.id)}">Keep it</a>
</form>
</div>`;
  return page({ title: `Delete FAQ ${faq.id}?`, section: 'kb', body, viewer });
}

function summary(problems: readonly FormProblem[]): Html {
  if (problems.length === 0) return html``;
  return html`<div class="alert" role="alert"><p><strong>The FAQ was not saved:</strong></p><ul>${problems.map((p) => html`<li>${describeProblem(p)}</li>`)}</ul></div>`;
}

function fieldErrors(problems: readonly FormProblem[], at: FormField): Html {
  const mine = problems.filter((p) => p.field === at);
  if (mine.length === 0) return html``;
  return html`<p class="error" id="${at}-error">${mine.map((p) => p.message).join('; ')}</p>`;
}
