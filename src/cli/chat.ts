/**
 * `tact chat [--kb PATH] [--name NAME] [--title mr|ms]`: a terminal
 * conversation with the bot, no server needed. It
 * keeps the conversation between turns, so trajectory rules (the same
 * question again, rising anger, misses in a row) apply as they will in the
 * widget. Reads one message per line from stdin: interactive or piped.
 */
import { createInterface } from 'node:readline';
import { addressOf } from '../bot/core/address.js';
import { NEW_CONVERSATION } from '../bot/core/conversation.js';
import { decideTurn } from '../bot/core/decide.js';
import { phraseFor } from '../bot/core/phrasing.js';
import { customerFrom, formatDecision } from './ask.js';
import { openIndex, parse, resolveKbPath } from './usage.js';

export async function chatCommand(args: readonly string[]): Promise<number> {
  const { values } = parse(args, { kb: { type: 'string' }, name: { type: 'string' }, title: { type: 'string' } });
  const customer = customerFrom(values.name, values.title);
  const started = Date.now();
  const index = openIndex(values.kb);
  const interactive = process.stdin.isTTY === true;
  if (interactive) {
    process.stdout.write(`Tact · ${index.kb.faqs.length} FAQs from ${resolveKbPath(values.kb)} · ready in ${Date.now() - started} ms\nType a customer message (Chinese or English); Ctrl-D to quit.\n`);
    const title = addressOf(index.kb.phrasing, customer, 'zh');
    process.stdout.write(`${phraseFor(index.kb.phrasing, 'voice.greeting', 'zh', title ? { title } : {})}\n`);
  }
  let conversation = NEW_CONVERSATION;
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (interactive) process.stdout.write('> ');
  for await (const line of rl) {
    if (line.trim() !== '') {
      const turn = decideTurn(index, conversation, { text: line, customer });
      conversation = turn.conversation;
      process.stdout.write(formatDecision(turn.decision));
    }
    if (interactive) process.stdout.write('> ');
  }
  return 0;
}
