/** The decision as JSON, the same shape for `tact ask --json` and POST /api/ask. */
import type { Decision } from './decision.js';
import { round } from './faq-outcome.js';

export function decisionToJson(d: Decision): Record<string, unknown> {
  return {
    action: d.action,
    faqId: d.faqId,
    confidence: round(d.confidence),
    reply: d.reply,
    suggestions: d.suggestions,
    lang: d.lang,
    intent: d.intent,
    emotion: d.emotion,
    handoffReason: d.handoffReason,
    category: d.category,
    escalation: d.escalation,
    suggestedReply: d.suggestedReply,
    why: d.why,
  };
}
