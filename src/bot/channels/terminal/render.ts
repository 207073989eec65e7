/**
 * How the terminal chat shows what the bot sends: a message under its
 * speaker's label (the bot, or the agent by name), quick replies as
 * numbered choices, and a change of who has the conversation as one line in
 * brackets. The words are the scripts' own; this only lays them out.
 * Control characters in a text (a customer's words restated can carry an
 * escape sequence) are taken out, so nothing drives the user's terminal.
 *
 *   bot: 请问您的订单号是？
 *     [1] 跳过
 *   [queued · position 1]
 *   agent Alice: 您好，我来帮您查一下
 */
import type { Delivered } from '../../pipeline/deliver.js';
import { clean, type Choice } from './input.js';

export type Status = Extract<Delivered, { type: 'status' }>['status'];

/** The lines for one delivered message or status change; `before` is who had the conversation until now. Empty for typing. */
export function render(out: Delivered, before: Status): string[] {
  switch (out.type) {
    case 'typing':
      return [];
    case 'status':
      return [statusLine(out, before)];
    case 'lang':
      return [`[the conversation is in ${out.lang === 'zh' ? 'Chinese' : 'English'} now]`];
    case 'message': {
      // A customer's own words are shown as typed (customerLine), never delivered back to the terminal.
      const label = out.from === 'agent' ? `agent ${clean(out.agent ?? '') || '?'}` : out.from === 'customer' ? 'customer' : 'bot';
      return [...labelled(label, out.text), ...choiceLines(out.quickReplies ?? [])];
    }
  }
}

/** A customer line as the transcript shows it (piped input is echoed, so the output reads as the conversation). */
export function customerLine(text: string): string {
  return `> ${text}`;
}

function labelled(label: string, text: string): string[] {
  const [first = '', ...rest] = text.split(/\r?\n/).map(clean);
  return [`${label}: ${first}`, ...rest.map((l) => `  ${l}`.trimEnd())];
}

/** One line each, or all on one line when each choice is its own number (a score: [1] [2] [3] [4] [5]). */
function choiceLines(choices: readonly Choice[]): string[] {
  if (choices.length === 0) return [];
  if (choices.every((c, i) => c.title.trim() === String(i + 1))) return [`  ${choices.map((_c, i) => `[${i + 1}]`).join(' ')}`];
  return choices.map((c, i) => `  [${i + 1}] ${clean(c.title)}`);
}

function statusLine(out: Extract<Delivered, { type: 'status' }>, before: Status): string {
  switch (out.status) {
    case 'queued':
      return out.position !== undefined ? `[queued · position ${out.position}]` : '[queued]';
    case 'agent':
      return `[agent ${clean(out.agent ?? '') || '?'} ${before === 'agent' ? 'is back' : 'joined'}]`;
    case 'bot':
      return '[the bot has the chat]';
    case 'message':
      return '[a message left for the team: the reply comes here]';
  }
}
