/**
 * "E-mail me this conversation": the widget's envelope button asks for an
 * address and the customer's consent, then sends a message with payload
 * `transcript` carrying the address as its contact. Whatever dialog is
 * running waits (the request interrupts it, respond.ts); the conversation so
 * far is mailed by the scheduler (pipeline/commitments.ts, customer-mail.ts),
 * and the customer is told where it goes, with the address masked as every
 * stored bot message is read by staff too.
 */
import type { BotWorker } from 'botkit';
import { maskPii } from '../bot/core/mask.js';
import type { TranscriptRequest } from '../bot/pipeline/commitments.js';
import { emailIn } from '../bot/pipeline/customer-mail.js';
import type { BotDeps, TactTurn } from '../bot/pipeline/turn.js';
import { line, say } from './say.js';

const REPLY: Readonly<Record<TranscriptRequest, string>> = {
  sending: 'mail.transcript.sending',
  unavailable: 'mail.transcript.unavailable',
  too_many: 'mail.transcript.too_many',
};

export async function mailTranscript(bot: BotWorker, deps: BotDeps, turn: TactTurn): Promise<void> {
  const address = turn.contact === null ? null : emailIn(turn.contact);
  if (address === null) return say(bot, line(turn, 'mail.transcript.no_address'));
  const outcome = await deps.commitments.mailTranscript(turn.session.id);
  deps.log.info('mail.transcript_asked', { session: turn.session.id, outcome });
  await say(bot, line(turn, REPLY[outcome], { address: maskPii(address) }));
}
