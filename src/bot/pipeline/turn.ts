/**
 * One typed context per turn. Botkit's receive middleware builds it: the
 * session, the knowledge base in force, the time, and — for a customer
 * message the bot is handling — the decision core's decision, which is
 * stored before any script runs. Scripts read `turnOf(message)` and never
 * decide anything themselves. (Whether a customer message's turn runs at
 * all, and its record of having finished, is pending-turns.ts's.)
 */
import type { Botkit, BotkitMessage, BotWorker } from 'botkit';
import type { TurnResult } from '../core/decide.js';
import type { Decision } from '../core/decision.js';
import type { FaqIndex } from '../core/faq-index.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../channels/http/metrics.js';
import type { Store, StoredFile } from '../store/store.js';
import type { AgentSurface } from './agents.js';
import type { Lang } from '../../kb/types.js';
import type { Desk } from './desk.js';
import type { HandoffGate } from './handoff-limit.js';
import { languageAfter, switchLanguage } from './language.js';
import type { Decider } from './decider.js';
import type { Commitments } from './commitments.js';
import type { ChatSession, SessionBook } from './sessions.js';

/** What scripts and middleware share: long-lived services, not per-turn state. */
export interface BotDeps {
  /** The knowledge base in force (a getter: a reload swaps it between turns). */
  readonly index: () => FaqIndex;
  readonly store: Store;
  readonly sessions: SessionBook;
  readonly desk: Desk;
  /** Whether a handoff may enter the queue now (per address and per session). */
  readonly handoffs: HandoffGate;
  /** Where agents hear of handoffs (Slack), or nobody yet. */
  readonly agents: AgentSurface;
  readonly now: () => Date;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Where decisions are made: this event loop, or worker threads (decision-pool.ts). */
  readonly decider: Decider;
  /** Where promises for later are kept: a resolved complaint's follow-up, a call-back when the team is back (pipeline/commitments.ts). */
  readonly commitments: Commitments;
  /** Told every decision the core makes, once it is stored (`tact chat --explain` prints it); optional. */
  readonly decided?: (sessionId: string, decision: Decision) => void;
}

export interface TactTurn {
  readonly session: ChatSession;
  readonly index: FaqIndex;
  readonly now: Date;
  /** The customer's words ('' for events). */
  readonly text: string;
  /** The quick-reply payload the customer tapped, if any. */
  readonly payload: string | null;
  /** Contact details sent with the leave-a-message form (given with consent), else null. */
  readonly contact: string | null;
  /** A photo or PDF the customer sent with this message, else null. */
  readonly file: StoredFile | null;
  /** Set for customer messages the bot is handling (not while a dialog or a person has the conversation). */
  readonly decision: Decision | null;
}

/** Payloads of the quick-reply buttons the scripts offer. */
export const PAYLOAD = { human: 'human', yes: 'yes', no: 'no', skip: 'skip', cancelWait: 'cancel_wait', leaveMessage: 'leave_message', transcript: 'transcript', faqPrefix: 'faq:', ratingPrefix: 'rating:' } as const;

const TURN = Symbol('tact.turn');
type WithTurn = BotkitMessage & { [TURN]?: TactTurn };

export function turnOf(message: BotkitMessage): TactTurn {
  const turn = (message as WithTurn)[TURN];
  if (!turn) throw new Error('no Tact turn on this message: the receive middleware did not run');
  return turn;
}

/** Installs the middleware that builds each turn's context and decision. */
export function useTurnMiddleware(controller: Botkit, deps: BotDeps): void {
  controller.middleware.receive.use((bot: BotWorker, message: BotkitMessage, next: (err?: Error) => void) => {
    buildTurn(deps, bot, message).then(
      (turn) => {
        (message as WithTurn)[TURN] = turn;
        next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  });
}

async function buildTurn(deps: BotDeps, bot: BotWorker, message: BotkitMessage): Promise<TactTurn> {
  const index = deps.index();
  const now = deps.now();
  const session = await deps.sessions.load(message.channel, 'zh');
  const payload = typeof message.value === 'string' ? message.value : null;
  const base = { session, index, now, payload, contact: contactOf(message), file: fileOf(message), text: message.type === 'message' ? (message.text ?? '') : '' };
  if (message.type !== 'message') return { ...base, decision: null };
  // The leave-a-message form is filed as it is (scripts/handoff.ts), and a transcript asked for is mailed (scripts/transcript.ts): neither is a question.
  if (payload === PAYLOAD.leaveMessage || payload === PAYLOAD.transcript) return { ...base, decision: null };
  deps.metrics.messageReceived();
  // A photo or PDF without words has nothing to match: the scripts say it was received (or pass it to the person who has the chat).
  if (base.file && base.text.trim() === '') return { ...base, decision: null };
  // The bot decides when it has the conversation and no dialog is collecting an answer, or when the customer asks for a person whatever is going on.
  const human = payload === PAYLOAD.human;
  if (!human && (session.handoff.kind === 'agent' || bot.hasActiveDialog())) {
    // The customer's words still show their language while a dialog or a person has the conversation.
    await speakTheirLanguage(deps, bot, session, languageAfter(index.lexicon, session, base.text, payload), now);
    return { ...base, decision: null };
  }
  const started = process.hrtime.bigint();
  const result = await decideFor(deps.decider, index, session, base.text, payload, human);
  if (!result) return { ...base, decision: null };
  deps.metrics.decided(result.decision, Number(process.hrtime.bigint() - started) / 1e9);
  const d = result.decision;
  await deps.store.append(session.id, { kind: 'decision', at: now.toISOString(), action: d.action, faqId: d.faqId, handoffReason: d.handoffReason, confidence: d.confidence });
  // Only once the decision (and a change of language) is stored: a turn that fails here leaves the conversation as it was, so running it again decides the same.
  await speakTheirLanguage(deps, bot, session, d.lang, now);
  session.conversation = result.conversation;
  deps.decided?.(session.id, d);
  return { ...base, decision: d };
}

/** Switches the conversation to the customer's language, and tells the widget before any reply in it. */
async function speakTheirLanguage(deps: BotDeps, bot: BotWorker, session: ChatSession, lang: Lang, now: Date): Promise<void> {
  if (!(await switchLanguage(deps.store, session, lang, now.toISOString()))) return;
  deps.log.info('session.lang', { session: session.id, lang });
  await bot.say({ type: 'event', channelData: { lang } });
}

async function decideFor(decider: Decider, index: FaqIndex, session: ChatSession, text: string, payload: string | null, human: boolean): Promise<TurnResult | null> {
  const { conversation, customer } = session;
  if (payload?.startsWith(PAYLOAD.faqPrefix)) {
    const chosen = await decider.decide(index, { kind: 'choice', conversation, faqId: payload.slice(PAYLOAD.faqPrefix.length), customer });
    if (chosen) return chosen;
  }
  return decider.decide(index, { kind: 'turn', conversation, text, customer, asksForHuman: human });
}

function fileOf(message: BotkitMessage): StoredFile | null {
  const data = message.incoming_message.channelData as { file?: StoredFile | null } | undefined;
  return data?.file ?? null;
}

function contactOf(message: BotkitMessage): string | null {
  const data = message.incoming_message.channelData as { contact?: unknown } | undefined;
  return typeof data?.contact === 'string' ? data.contact : null;
}
