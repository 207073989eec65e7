/**
 * How scripts speak: every text from the phrasing library, in the session's
 * language, addressing the customer by name where the library has a
 * `.named` variant. Quick-reply buttons carry their title from the library
 * (button.*) and a payload the pipeline understands.
 */
import type { BotWorker } from 'botkit';
import type { ReplyChannelData } from '../bot/pipeline/turn-io.js';
import type { ChatStatus, QuickReply } from '../bot/channels/web/protocol.js';
import { addressOf } from '../bot/core/address.js';
import { phrase, phraseFor, type PhraseVars } from '../bot/core/phrasing.js';
import type { FaqIndex } from '../bot/core/faq-index.js';
import type { ChatSession } from '../bot/pipeline/sessions.js';
import { PAYLOAD } from '../bot/pipeline/turn.js';
import { understandReply } from '../intents/reply.js';
import { builtinReplies } from '../kb/defaults.js';

export interface Voice {
  readonly index: FaqIndex;
  readonly session: ChatSession;
}

/** A template's text for this customer, with the named variant when their name is known. */
export function line(v: Voice, name: string, vars: PhraseVars = {}): string {
  const title = addressOf(v.index.kb.phrasing, v.session.customer, v.session.lang);
  return phraseFor(v.index.kb.phrasing, name, v.session.lang, { ...vars, ...(title ? { title } : {}) });
}

/** Quick-reply buttons the scripts offer, by their phrasing name (button.*) and payload. */
const BUTTONS = { human: PAYLOAD.human, yes: PAYLOAD.yes, no: PAYLOAD.no, skip: PAYLOAD.skip, cancel_wait: PAYLOAD.cancelWait, leave_message: PAYLOAD.leaveMessage } as const;

export function button(v: Voice, name: keyof typeof BUTTONS): QuickReply {
  return { title: phrase(v.index.kb.phrasing, `button.${name}`, v.session.lang), payload: BUTTONS[name] };
}

export async function say(bot: BotWorker, text: string, quickReplies: readonly QuickReply[] = []): Promise<void> {
  const channelData: ReplyChannelData = quickReplies.length > 0 ? { quick_replies: quickReplies } : {};
  await bot.say({ type: 'message', text, channelData });
}

export async function sayStatus(bot: BotWorker, status: ChatStatus, extra: { position?: number; agent?: string } = {}): Promise<void> {
  const channelData: ReplyChannelData = { status, ...extra };
  await bot.say({ type: 'event', channelData });
}

/**
 * Whether the customer's answer means the button: its payload, its title
 * typed out, or, for yes/no/skip, the same in their own words (lexicon/
 * replies.yaml). Declining ("no", "我不想留") counts as skip: a refusal is
 * never kept as the answer to the question.
 */
export function pressed(v: Voice, name: 'yes' | 'no' | 'skip' | 'human', text: string, payload: string | null): boolean {
  if (payload !== null) return payload === PAYLOAD[name];
  const typed = simplify(text);
  const lib = v.index.kb.phrasing[`button.${name}`];
  if (lib !== undefined && (typed === simplify(lib.zh ?? '') || typed === simplify(lib.en ?? ''))) return true;
  if (name === 'human') return false;
  const meaning = understandReply(text, builtinReplies());
  return meaning === name || (name === 'skip' && meaning === 'no');
}

function simplify(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]/gu, '');
}
