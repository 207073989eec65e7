/**
 * What agents are shown about a case when the customer is handed off: the
 * case summary (core/case-summary.ts, from the conversation and a
 * complaint's intake) and the agent's suggested first reply, which is
 * always the standard's phrasing for the reason (phrasing.yaml suggest.*)
 * restating that summary, never a reply the bot gave the customer (a
 * clarify prompt, a "none" apology).
 */
import { caseSummary, type ComplaintIntake } from '../bot/core/case-summary.js';
import { suggestedReplyFor } from '../bot/core/decide.js';
import type { Decision } from '../bot/core/decision.js';
import type { Route } from '../bot/core/escalation.js';
import type { TactTurn } from '../bot/pipeline/turn.js';
import type { HandoffReason } from '../kb/types.js';
import type { CaseContext } from './handoff.js';
import type { Voice } from './say.js';

type CaseText = Pick<CaseContext, 'summary' | 'order' | 'answered' | 'suggestedReply'>;

/** The case for a handoff the decision core made on this turn. */
export function handoffCase(turn: TactTurn, d: Extract<Decision, { action: 'handoff' }>): CaseContext {
  const route = turn.index.router.route(d.handoffReason, d.category, d.escalation.causes, turn.session.lang);
  return { ...caseText(turn, d.handoffReason, route), category: d.category, emotion: d.emotion, suggestions: d.suggestions };
}

/** The summary and suggested reply for a complaint filed after intake: the problem as the customer described and confirmed it. */
export function complaintCase(v: Voice, route: Route, intake: ComplaintIntake): CaseText {
  return caseText(v, 'complaint', route, intake);
}

function caseText(v: Voice, reason: HandoffReason, route: Route, intake?: ComplaintIntake): CaseText {
  const { index, session } = v;
  const summary = caseSummary(index, session.conversation, session.lang, intake);
  return { summary: summary.problem, order: summary.order, answered: summary.answered, suggestedReply: suggestedReplyFor(index, reason, route, session.lang, session.customer, summary.problem) };
}
