/**
 * The dashboard of /admin (GET /admin/dashboard): how the bot and the team
 * did over the last two weeks, as figures and inline SVG charts, computed
 * from the stored events on each request: only the conversations the
 * store says were active in the window are read, never every one.
 */
import { maskPii } from '../../core/mask.js';
import type { Gap } from '../../../eval/gaps.js';
import type { KnowledgeBase } from '../../../kb/types.js';
import { readConversations, type Store } from '../../store/store.js';
import { barChart, columnChart, shareBar } from './admin-charts.js';
import type { Conversations } from './admin-handoffs.js';
import { html, type Html } from './admin-html.js';
import { sendHtml, type Route } from './admin-http.js';
import { REASON_LABELS } from '../../pipeline/reason-labels.js';
import { page } from './admin-layout.js';
import { may } from './admin-roles.js';
import { DASHBOARD_DAYS, DAY_MS, dashboardStats, type DashboardStats } from './admin-stats.js';

export interface DashboardRouteDeps {
  readonly kb: () => KnowledgeBase;
  readonly store: Store;
  readonly gaps: (conversations: Conversations, since: Date | null) => readonly Gap[];
  readonly now: () => Date;
}

const TOP_GAPS = 5;

export function dashboardRoutes(d: DashboardRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/admin\/dashboard$/,
      need: 'view',
      handle: async (r) => {
        const now = d.now();
        // A day more than the window: its first day begins at midnight in the shop's time zone, up to 14 h before UTC's.
        const conversations = await readConversations(d.store, { activeSince: new Date(now.getTime() - (DASHBOARD_DAYS + 1) * DAY_MS) });
        const stats = dashboardStats(conversations, now, d.kb().shop.service.timezone);
        const gaps = d.gaps(conversations, new Date(now.getTime() - DASHBOARD_DAYS * DAY_MS)).slice(0, TOP_GAPS);
        sendHtml(r.res, 200, page({ title: 'Dashboard', section: 'dashboard', body: dashboard(stats, gaps, d.kb(), may(r.viewer.role, 'kb')), viewer: r.viewer }));
      },
    },
  ];
}

/** `editsKb`: the viewer may close the gaps (an agent sees them without the link). */
function dashboard(s: DashboardStats, gaps: readonly Gap[], kb: KnowledgeBase, editsKb: boolean): Html {
  const handedOff = s.conversations - s.answeredByBot;
  const rated = s.ratings.reduce((a, b) => a + b, 0);
  const average = rated > 0 ? s.ratings.reduce((sum, n, i) => sum + n * (i + 1), 0) / rated : null;
  const question = (id: string): string => {
    const faq = kb.faqs.find((f) => f.id === id);
    return faq ? `${id} — ${faq.question.zh ?? faq.question.en ?? ''}` : id;
  };
  return html`<p class="hint">The last ${DASHBOARD_DAYS} days, from the stored conversations.</p>
<div class="grid">
<section class="card" aria-labelledby="per-day"><h2 id="per-day">Conversations per day</h2>
<p><span class="figure" id="conversations-total">${s.conversations}</span> conversations</p>
${columnChart('Conversations per day', s.days.map((x) => ({ label: x.day, short: x.day.slice(8), value: x.count })))}
<p class="hint">Days of the month, ${s.days[0]?.day ?? ''} to ${s.days[s.days.length - 1]?.day ?? ''}.</p></section>
<section class="card" aria-labelledby="deflection"><h2 id="deflection">Answered by the bot</h2>
<p><span class="figure" id="deflection-share">${s.conversations > 0 ? `${Math.round((s.answeredByBot / s.conversations) * 100)}%` : '–'}</span> of conversations needed no person</p>
${shareBar('Answered by the bot vs handed off', { label: 'bot only', value: s.answeredByBot }, { label: 'handed off', value: handedOff })}</section>
<section class="card" aria-labelledby="reasons"><h2 id="reasons">Handoffs by reason</h2>
${barChart('Handoffs by reason', s.handoffsByReason.map((x) => ({ label: REASON_LABELS[x.reason], value: x.count })))}</section>
<section class="card" aria-labelledby="frt"><h2 id="frt">Median first response</h2>
<p><span class="figure" id="first-response">${s.medianFirstResponseMs === null ? '–' : duration(s.medianFirstResponseMs)}</span></p>
<p class="hint">From handoff to an agent's first message, over ${s.answeredHandoffs} answered ${s.answeredHandoffs === 1 ? 'handoff' : 'handoffs'}.</p></section>
<section class="card" aria-labelledby="csat"><h2 id="csat">Customer satisfaction</h2>
<p><span class="figure">${average === null ? '–' : average.toFixed(1)}</span> average of ${rated} ${rated === 1 ? 'rating' : 'ratings'} (1–5)</p>
${barChart('Ratings', s.ratings.map((n, i) => ({ label: `${i + 1} ★`, value: n })))}</section>
<section class="card" aria-labelledby="top-faqs"><h2 id="top-faqs">Top FAQs answered</h2>
${barChart('Top FAQs answered', s.topFaqs.map((x) => ({ label: question(x.faqId), value: x.count })))}</section>
<section class="card" aria-labelledby="top-gaps"><h2 id="top-gaps">Top gaps</h2>
${barChart('Top unanswered questions', gaps.map((g) => ({ label: maskPii(g.message), value: g.count })))}
${editsKb ? html`<p><a href="/admin/gaps">Close the gaps</a></p>` : ''}</section>
</div>`;
}

/** 42 s, 3 min 5 s, 2 h 10 min. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}
