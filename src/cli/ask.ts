/** `tact ask [--kb PATH] [--json] "message"`: prints the decision for one message. */
import type { Decision } from '../bot/core/decision.js';
import { decide, round } from '../bot/core/decide.js';
import { openIndex, parse, UsageError } from './usage.js';

export function askCommand(args: readonly string[]): number {
  const { values, positionals } = parse(args, { kb: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError('ask needs a message, e.g. tact ask "什么时候发货"');
  const index = openIndex(values.kb);
  const decision = decide(index, positionals.join(' '));
  process.stdout.write(values.json ? `${JSON.stringify(toJson(decision))}\n` : formatDecision(decision));
  return 0;
}

export function toJson(d: Decision): Record<string, unknown> {
  return {
    action: d.action,
    faqId: d.faqId,
    confidence: round(d.confidence),
    reply: d.reply,
    suggestions: d.suggestions,
    lang: d.lang,
    why: d.why,
    ...(d.action === 'handoff' ? { reason: d.reason } : {}),
  };
}

export function formatDecision(d: Decision): string {
  const lines = [`[${d.action}${d.faqId ? ` ${d.faqId}` : ''} · ${d.lang} · confidence ${round(d.confidence)}]`, d.reply];
  if (d.action !== 'answer') d.suggestions.forEach((s, i) => lines.push(`  ${i + 1}. ${s.question}  (${s.faqId}, ${s.confidence})`));
  if (d.why.length > 0) lines.push(`  matched: ${d.why.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
