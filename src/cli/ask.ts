/** `tact ask [--kb PATH] [--json] [--name NAME] [--title mr|ms] "message"`: prints the decision for one message. */
import type { Customer, Title } from '../bot/core/address.js';
import type { Decision } from '../bot/core/decision.js';
import { decide, round } from '../bot/core/decide.js';
import { decisionToJson } from '../bot/core/decision-json.js';
import { openIndex, parse, UsageError } from './usage.js';

export function askCommand(args: readonly string[]): number {
  const { values, positionals } = parse(args, { kb: { type: 'string' }, json: { type: 'boolean' }, name: { type: 'string' }, title: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('ask needs a message, e.g. tact ask "什么时候发货"');
  const customer = customerFrom(values.name, values.title);
  const index = openIndex(values.kb);
  const decision = decide(index, positionals.join(' '), undefined, customer);
  process.stdout.write(values.json ? `${JSON.stringify(decisionToJson(decision))}\n` : formatDecision(decision));
  return 0;
}

export function customerFrom(name: string | undefined, title: string | undefined): Customer {
  if (title !== undefined && title !== 'mr' && title !== 'ms') throw new UsageError(`--title must be mr or ms, not "${title}"`);
  return { ...(name !== undefined ? { name } : {}), ...(title ? { title: title as Title } : {}) };
}

export function formatDecision(d: Decision): string {
  const head = [d.action, d.faqId, d.handoffReason, d.intent && `intent ${d.intent}`, d.lang, `confidence ${round(d.confidence)}`, `emotion ${d.emotion.level} ${d.emotion.score}`].filter(Boolean).join(' · ');
  const lines = [`[${head}]`, d.reply];
  if (d.action === 'clarify' || d.action === 'none') d.suggestions.forEach((s, i) => lines.push(`  ${i + 1}. ${s.question}  (${s.faqId}, ${s.confidence})`));
  if (d.escalation) {
    const e = d.escalation;
    lines.push(`  → ${e.teamName} ${e.channel} · supervisor ${e.supervisor.name} · first response ${e.sla.firstResponse}, resolution ${e.sla.resolution}${e.urgent ? ' · URGENT' : ''}${e.causes.length ? ` · causes ${e.causes.join(', ')}` : ''}`);
  }
  if (d.suggestedReply !== d.reply) lines.push(`  suggested reply for the agent: ${d.suggestedReply}`);
  if (d.emotion.cues.length > 0) lines.push(`  emotion cues: ${d.emotion.cues.join(', ')}`);
  if (d.why.length > 0) lines.push(`  matched: ${d.why.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
