/**
 * `tact chat` (also `tact start` until the web server lands): a terminal
 * conversation with the KB. Reads one message per line from stdin, so it
 * works interactively and from a pipe.
 */
import { createInterface } from 'node:readline';
import { decide } from '../bot/core/decide.js';
import { formatDecision } from './ask.js';
import { openIndex, parse, resolveKbPath } from './usage.js';

export async function chatCommand(args: readonly string[]): Promise<number> {
  const { values } = parse(args, { kb: { type: 'string' } });
  const started = Date.now();
  const index = openIndex(values.kb);
  const interactive = process.stdin.isTTY === true;
  if (interactive) {
    process.stdout.write(`Tact · ${index.kb.faqs.length} FAQs from ${resolveKbPath(values.kb)} · ready in ${Date.now() - started} ms\nType a customer message (Chinese or English); Ctrl-D to quit.\n`);
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (interactive) process.stdout.write('> ');
  for await (const line of rl) {
    if (line.trim() !== '') process.stdout.write(formatDecision(decide(index, line)));
    if (interactive) process.stdout.write('> ');
  }
  return 0;
}
