/**
 * A decision as the "try it" box shows it to an editor: what the bot would
 * do, how sure it is and why (the matched terms), the FAQs it considered,
 * what it would say, and for a handoff the reason and escalation path.
 */
import type { Decision } from '../../core/decision.js';
import { html, type Html } from './admin-html.js';

export function decisionView(message: string, d: Decision): Html {
  return html`<section class="card" aria-live="polite" id="decision">
<h3>The bot's decision for “${message}”</h3>
<dl>
<dt>Action</dt><dd><span class="badge${d.action === 'handoff' ? ' human' : ''}">${d.action}</span> ${outcome(d)}</dd>
<dt>Confidence</dt><dd>${d.confidence.toFixed(2)}</dd>
<dt>Matched terms</dt><dd>${d.why.length > 0 ? d.why.join(', ') : 'none'}</dd>
<dt>Suggestions</dt><dd>${suggestions(d)}</dd>
<dt>Reply</dt><dd><pre class="answer">${d.reply}</pre></dd>
<dt>Suggested reply for an agent</dt><dd><pre class="answer">${d.suggestedReply}</pre></dd>
<dt>Language, intent, emotion</dt><dd>${d.lang} · ${d.intent ?? 'no intent'} · ${d.emotion.level}${d.emotion.cues.length > 0 ? ` (${d.emotion.cues.join(', ')})` : ''}</dd>
<dt>Category</dt><dd>${d.category ?? 'not identified'}</dd>
${handoff(d)}
</dl>
</section>`;
}

function outcome(d: Decision): string {
  switch (d.action) {
    case 'answer':
      return `with FAQ ${d.faqId}`;
    case 'clarify':
      return 'asks which of the suggestions the customer meant';
    case 'none':
      return 'nothing in the KB fits: apologises and offers a person';
    case 'smalltalk':
      return 'small talk, answered in kind';
    case 'handoff':
      return `to a person (${d.handoffReason})${d.faqId ? `, FAQ ${d.faqId}` : ''}`;
  }
}

function suggestions(d: Decision): Html {
  if (d.suggestions.length === 0) return html`none`;
  return html`<ol>${d.suggestions.map((s) => html`<li>${s.faqId} — ${s.question} (${s.confidence.toFixed(2)})</li>`)}</ol>`;
}

function handoff(d: Decision): Html {
  if (d.action !== 'handoff') return html``;
  const e = d.escalation;
  return html`<dt>Handoff reason</dt><dd>${d.handoffReason}</dd>
<dt>Escalation</dt><dd>${e.teamName} (${e.channel}) · supervisor ${e.supervisor.name} · first response ${e.sla.firstResponse}, resolution ${e.sla.resolution}${e.urgent ? ' · urgent' : ''}</dd>`;
}
