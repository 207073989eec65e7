/**
 * The conversations page: every open handoff with what an agent needs to
 * act on it — ticket, reason, escalation path, the customer's problem, the
 * suggested reply and the transcript — and one form to reply (claiming the
 * conversation first), return it to the bot or resolve it. Customer text is
 * masked before it is shown. Pure: data in, Html out.
 */
import { maskPii } from '../../core/mask.js';
import type { KnowledgeBase } from '../../../kb/types.js';
import type { OpenHandoff, TranscriptLine } from './admin-handoffs.js';
import type { MailKind, StoredFile, StoredTask } from '../../store/store.js';
import { html, type Html } from './admin-html.js';
import type { Viewer } from './admin-http.js';
import { REASON_LABELS } from '../../pipeline/reason-labels.js';
import { csrfField, page } from './admin-layout.js';

/** The list reloads itself this often (admin.js), unless someone is typing a reply. */
const REFRESH_SECONDS = 10;
/** The transcript shows the latest messages; older ones are in the store. */
const TRANSCRIPT_LINES = 40;
const SUMMARY_CHARS = 120;

export interface HandoffView {
  readonly handoff: OpenHandoff;
  /** The agent's suggested reply to the customer's latest message, masked. */
  readonly suggestion: string;
}

/** The admin desk's presence: on duty now, whether it said so (null: by having this page open), and how many agents are on duty. */
export interface DutyView {
  readonly onDuty: boolean;
  readonly declared: boolean | null;
  readonly agentsOnDuty: number;
}

export function conversationsPage(views: readonly HandoffView[], kb: KnowledgeBase, viewer: Viewer, duty: DutyView, promises: readonly StoredTask[] = []): Html {
  const csrf = viewer.csrf;
  const body = html`${dutyForm(duty, csrf)}<p class="hint">Customers handed to a person, waiting first. This page updates every ${REFRESH_SECONDS} seconds while you are not typing · <a href="/admin/conversations">refresh now</a>. Agents on Slack see the same conversations there.</p>
${views.length === 0 ? html`<p class="card">Nobody is waiting for a person right now.</p>` : views.map((v) => card(v, kb, viewer))}
${promisesList(promises)}`;
  return page({ title: 'Conversations', section: 'conversations', body, viewer, refreshSeconds: REFRESH_SECONDS });
}

/** The contact details a customer gave with consent, in full, for a call-back: shown once, on their own page, after the reveal was logged. */
export function contactPage(h: OpenHandoff, viewer: Viewer): Html {
  const body = html`<p class="notice" role="status">Revealed to ${viewer.who} for a call-back on ticket ${h.ticket}. This was recorded in the audit log (who and when, not the details). Use them for this case only and do not copy them elsewhere; the conversations page shows them masked again.</p>
<dl class="card"><dt>Ticket</dt><dd>${h.ticket}</dd>${h.contacts.map((c) => html`<dt>Contact</dt><dd><strong>${c}</strong></dd>`)}</dl>
<p><a href="/admin/conversations#c-${h.sessionId}">Back to the conversations</a></p>`;
  return page({ title: 'Contact for a call-back', section: 'conversations', body, viewer });
}

const MAIL_TASKS: Readonly<Record<MailKind, string>> = {
  replies: 'E-mail of the replies a customer missed',
  followup: 'E-mail of a follow-up question',
  transcript: 'E-mail of the conversation, which the customer asked for',
};

/** What Tact has promised customers for later (pipeline/scheduler.ts), soonest first. */
function promisesList(tasks: readonly StoredTask[]): Html {
  if (tasks.length === 0) return html``;
  const what = (t: StoredTask): string => {
    switch (t.job.kind) {
      case 'followup':
        return `Follow-up (回访) of ${t.job.ticket}: the customer is asked whether it is resolved; the case's owner calls if they left contact details`;
      case 'callback':
        return `Call-back for ${t.job.ticket}, left while the team was away: the team is reminded if nobody has taken it`;
      case 'mail':
        return MAIL_TASKS[t.job.what];
      case 'retention':
        return 'Retention: conversations older than the retention period (TACT_RETENTION_DAYS) anonymised; runs daily';
    }
  };
  return html`<section class="card" aria-labelledby="promises"><h2 id="promises">Promised for later</h2><ul>${tasks.map((t) => html`<li><time datetime="${t.due}">${t.due.slice(0, 16).replace('T', ' ')} UTC</time>: ${what(t)}</li>`)}</ul></section>`;
}

function card(v: HandoffView, kb: KnowledgeBase, viewer: Viewer): Html {
  const csrf = viewer.csrf;
  const h = v.handoff;
  const id = h.sessionId;
  const action = (name: string): string => `/admin/conversations/${encodeURIComponent(id)}/${name}`;
  return html`<article class="card" id="c-${id}" aria-labelledby="c-${id}-title">
<h2 id="c-${id}-title">Ticket ${h.ticket} <span class="badge${h.status === 'agent' ? '' : ' human'}">${badgeText(h)}</span></h2>
<dl>
<dt>Reason</dt><dd>${REASON_LABELS[h.reason]}</dd>
${escalation(h, kb)}
<dt>Customer</dt><dd>${h.customer === null ? 'anonymous visitor' : maskPii(h.customer)} · ${h.lang === 'zh' ? 'Chinese' : 'English'}</dd>
<dt>Handed off</dt><dd><time datetime="${h.at}">${h.at.slice(0, 16).replace('T', ' ')} UTC</time></dd>
${caseRows(h)}
${Object.entries(h.details).filter(([, value]) => value !== '').map(([key, value]) => html`<dt>${key}</dt><dd>${maskPii(value)}</dd>`)}
</dl>
<h3>Suggested reply</h3>
<pre class="answer suggestion">${v.suggestion}</pre>
<h3>Transcript</h3>
<div class="transcript" tabindex="0" aria-label="Transcript">${transcript(h.sessionId, h.transcript)}</div>
<form method="post" action="${action('reply')}" class="stack">
${csrfField(csrf)}
${
  viewer.account
    ? html`<p class="hint">You answer as ${viewer.who} (the customer sees this name).</p>`
    : html`<label for="c-${id}-agent">Your name (the customer sees it)</label>
<input id="c-${id}-agent" name="agent" type="text" value="${h.agent ?? 'admin'}" maxlength="60">`
}
<label for="c-${id}-text">Reply to the customer</label>
<textarea id="c-${id}-text" name="text" rows="3" maxlength="4000"></textarea>
<div class="row">
<button type="submit">Send</button>
<button type="submit" name="use" value="suggestion" class="secondary">Send the suggested reply</button>
<button type="submit" formaction="${action('return')}" class="secondary">Return to bot</button>
<button type="submit" formaction="${action('resolve')}" class="secondary">Resolve</button>
</div>
${h.status === 'agent' ? '' : html`<p class="hint">Sending a reply claims the conversation for you first.${h.status === 'message' ? ' The customer sees it the next time they open the chat.' : ''}</p>`}
</form>
${h.contacts.length > 0 ? revealForm(action('reveal'), csrf) : ''}
</article>`;
}

/** Contact details stay masked above; this shows them in full, once, and the audit log says who asked. */
function revealForm(action: string, csrf: string): Html {
  return html`<form method="post" action="${action}" class="row">
${csrfField(csrf)}
<button type="submit" class="secondary">Reveal contact for a call-back</button>
<span class="hint">Shows the full phone number or e-mail the customer gave with consent; recorded in the audit log.</span>
</form>`;
}

/** The team that owns the case and how fast it must answer, from the escalation matrix in force. */
function escalation(h: OpenHandoff, kb: KnowledgeBase): Html {
  const m = kb.escalation;
  const team = m.teams.get(h.team);
  if (!team) return html`<dt>Team</dt><dd>${h.team}</dd>`;
  const urgent = m.reasons[h.reason]?.urgent ?? false;
  const sla = urgent ? m.urgentSla : team.sla;
  return html`<dt>Team</dt><dd>${team.name.en ?? team.name.zh ?? team.id} (${team.channel})</dd>
<dt>Supervisor</dt><dd>${team.supervisor.name}</dd>
<dt>SLA</dt><dd>${urgent ? 'urgent · ' : ''}first response ${sla.firstResponse.text} · resolution ${sla.resolution.text}</dd>`;
}

function transcript(sessionId: string, lines: readonly TranscriptLine[]): Html {
  const shown = lines.slice(-TRANSCRIPT_LINES);
  const earlier = lines.length - shown.length;
  return html`${earlier > 0 ? html`<p class="hint">${earlier} earlier messages not shown</p>` : ''}${shown.map(
    (l) => html`<p class="from-${l.from}"><b>${l.from === 'agent' ? (l.agent ?? 'agent') : l.from}:</b> ${maskPii(l.text)}${l.file ? fileLink(sessionId, l.file) : ''}</p>`,
  )}`;
}

/** A photo as its thumbnail linking to the whole picture, a PDF as a download; both served only to signed-in staff (admin-files.ts). */
function fileLink(sessionId: string, file: StoredFile): Html {
  const href = `/admin/files/${sessionId}/${file.id}`;
  return file.kind === 'image'
    ? html` <a class="file" href="${href}" target="_blank" rel="noopener"><img src="${href}?thumb=1" alt="photo: ${file.name}" loading="lazy"></a>`
    : html` <a class="file" href="${href}" download="${file.name}">PDF: ${file.name}</a>`;
}

/**
 * The case as agents were shown it at the handoff: the customer's problem in
 * their words, the order number, what the bot already answered, the emotion.
 * A handoff stored before the case was kept shows the message that led to it.
 */
function caseRows(h: OpenHandoff): Html {
  const c = h.case;
  if (c === null) return html`<dt>Summary</dt><dd>${oneLine(maskPii(h.asked), SUMMARY_CHARS)}</dd>`;
  return html`<dt>Summary</dt><dd>${c.summary === '' ? html`<i>not said yet: ask the customer what the problem is</i>` : maskPii(c.summary)}</dd>
${c.order !== null ? html`<dt>Order</dt><dd>${maskPii(c.order)}</dd>` : ''}
${c.answered.length > 0 ? html`<dt>Already answered by the bot</dt><dd><ul>${c.answered.map((q) => html`<li>${q}</li>`)}</ul></dd>` : ''}
<dt>Emotion</dt><dd>${c.emotion}</dd>`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function badgeText(h: OpenHandoff): string {
  switch (h.status) {
    case 'queued':
      return 'waiting';
    case 'message':
      return 'message left';
    case 'agent':
      return `with ${h.agent ?? 'an agent'}`;
  }
}

/** On or off duty: customers who ask for a person are queued only while someone is on duty, and asked to leave a message otherwise. */
function dutyForm(duty: DutyView, csrf: string): Html {
  const how = duty.declared === null ? ' (while this page is open)' : '';
  const others = duty.agentsOnDuty - (duty.onDuty ? 1 : 0);
  return html`<form method="post" action="/admin/duty" class="card row duty">
${csrfField(csrf)}
<p role="status">${duty.onDuty ? html`<strong>You are on duty${how}.</strong> Customers who ask for a person join the queue.` : html`<strong>You are off duty.</strong> ${duty.agentsOnDuty === 0 ? 'Nobody is on duty: customers who ask for a person are asked to leave a message.' : ''}`} ${others > 0 ? `${others} other agent${others === 1 ? ' is' : 's are'} on duty.` : ''}</p>
<button type="submit" name="on" value="${duty.onDuty ? '0' : '1'}"${duty.onDuty ? ' class="secondary"' : ''}>${duty.onDuty ? 'Go off duty' : 'Go on duty'}</button>
</form>`;
}
