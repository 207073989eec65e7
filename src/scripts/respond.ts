/**
 * The customer's message, answered by the decision the pipeline made:
 *
 *   answer     the FAQ's answer, which asks whether there is anything else
 *   clarify    "which of these did you mean?" with the suggestions as buttons
 *   none       a polite apology, with a "talk to a person" button
 *   smalltalk  answered in kind; a goodbye ends the chat with the survey
 *   handoff    a complaint starts the complaint intake; anything else is told
 *              why it is passed on, then joins the queue or, when nobody can
 *              take the chat, is offered to leave a message
 *
 * While a person has the conversation the bot stays quiet: the message is
 * theirs. While the customer waits in the queue the bot keeps serving: FAQ
 * answers (marked as given while they wait), their place and wait when they
 * ask, small talk, and cancelling the request ("不用了", "never mind").
 */
import type { Botkit, BotkitMessage, BotWorker } from 'botkit';
import type { Decision } from '../bot/core/decision.js';
import { PAYLOAD, turnOf, type BotDeps, type TactTurn } from '../bot/pipeline/turn.js';
import { handoffCase } from './case-context.js';
import { COMPLAINT_DIALOG } from './complaint.js';
import { handOff, leaveMessage, waitText } from './handoff.js';
import { button, line, say, sayStatus } from './say.js';
import { withdraw } from './withdraw.js';
import { hasContactDetails } from '../intents/contact.js';
import { understandQueueRequest } from '../intents/queue-request.js';
import { builtinQueueWords } from '../kb/queue-words.js';
import { pick } from '../bot/core/phrasing.js';
import { SURVEY_DIALOG } from './survey.js';
import { mailTranscript } from './transcript.js';

export function useRespond(controller: Botkit, deps: BotDeps): void {
  controller.on('message', async (bot: BotWorker, message: BotkitMessage) => {
    const turn = turnOf(message);
    if (turn.payload === PAYLOAD.leaveMessage) await leftMessage(bot, deps, turn);
    else if (turn.decision) await respond(bot, deps, turn, turn.decision);
    // A person has the conversation: the message is theirs.
    else if (turn.session.handoff.kind === 'agent' && !bot.hasActiveDialog()) await deps.agents.customerSaid(turn.session.id, turn.text, turn.file);
  });
  // A photo or PDF without words, whatever is going on: it reaches whoever has the chat, and a dialog waiting for an answer keeps waiting.
  controller.interrupts(
    async (message: BotkitMessage) => {
      const turn = turnOf(message);
      return turn.file !== null && turn.text.trim() === '';
    },
    'message',
    async (bot: BotWorker, message: BotkitMessage) => receivedFile(bot, deps, turnOf(message)),
  );
  // A transcript asked for is mailed whatever is going on; a dialog waiting for an answer keeps waiting.
  controller.interrupts(
    async (message: BotkitMessage) => message.value === PAYLOAD.transcript,
    'message',
    async (bot: BotWorker, message: BotkitMessage) => mailTranscript(bot, deps, turnOf(message)),
  );
  // "Talk to a person" and the message form win over whatever dialog is running.
  controller.interrupts(
    async (message: BotkitMessage) => message.value === PAYLOAD.leaveMessage,
    'message',
    async (bot: BotWorker, message: BotkitMessage) => {
      await bot.cancelAllDialogs();
      await leftMessage(bot, deps, turnOf(message));
    },
  );
  controller.interrupts(
    async (message: BotkitMessage) => message.value === PAYLOAD.human,
    'message',
    async (bot: BotWorker, message: BotkitMessage) => {
      const turn = turnOf(message);
      await bot.cancelAllDialogs();
      if (turn.decision) await respond(bot, deps, turn, turn.decision);
    },
  );
}

/** A photo or PDF with no words: passed to the person who has (or will have) the chat, and acknowledged to the customer. */
async function receivedFile(bot: BotWorker, deps: BotDeps, turn: TactTurn): Promise<void> {
  const { handoff } = turn.session;
  if (handoff.kind !== 'bot') await deps.agents.customerSaid(turn.session.id, '', turn.file);
  if (handoff.kind === 'agent') return;
  if (handoff.kind === 'queued' || handoff.kind === 'message') return say(bot, line(turn, 'file.received.waiting'));
  // The bot cannot read it: say so, and offer the person who can (or, mid-dialog, keep it with the case and go on).
  if (bot.hasActiveDialog()) return say(bot, line(turn, 'file.received.noted'));
  await say(bot, line(turn, 'file.received'), [button(turn, 'human')]);
}

export async function respond(bot: BotWorker, deps: BotDeps, turn: TactTurn, d: Decision): Promise<void> {
  if (turn.session.handoff.kind === 'queued') {
    await deps.agents.customerSaid(turn.session.id, turn.text, turn.file);
    return whileQueued(bot, deps, turn, d);
  }
  if (turn.session.handoff.kind === 'message') await deps.agents.customerSaid(turn.session.id, turn.text, turn.file);
  switch (d.action) {
    case 'answer':
      return say(bot, d.reply);
    case 'clarify':
      return offerChoices(bot, d);
    case 'none':
      return say(bot, d.reply, [button(turn, 'human')]);
    case 'smalltalk':
      if (d.intent === 'goodbye' && hasTalked(turn)) return bot.beginDialog(SURVEY_DIALOG, { lang: turn.session.lang });
      return say(bot, d.reply);
    case 'handoff':
      if (d.handoffReason === 'complaint') return bot.beginDialog(COMPLAINT_DIALOG, { lang: turn.session.lang, text: turn.text, category: d.category ?? '', emotion: d.emotion, suggestions: d.suggestions });
      await handOff(bot, deps, turn, { reason: d.handoffReason, escalation: d.escalation, context: handoffCase(turn, d), announce: true, intro: d.reply });
      return;
  }
}

/**
 * Serving a customer who waits for a person. Asking for a person again, or
 * how much longer, gets their place and the wait as it is now; an FAQ is
 * answered as given while they wait; a question the bot cannot answer is
 * noted for the agent; anything upsetting gets an apology with their place.
 */
async function whileQueued(bot: BotWorker, deps: BotDeps, turn: TactTurn, d: Decision): Promise<void> {
  const asked = turn.payload === PAYLOAD.cancelWait ? 'cancel' : understandQueueRequest(turn.text, builtinQueueWords());
  if (asked === 'cancel') return cancelWait(bot, deps, turn);
  const place = deps.desk.place(turn.session.id);
  const where = { position: String(place?.position ?? 1), wait: waitText(turn, place?.waitSeconds ?? 0) };
  if (asked === 'wait_time') return say(bot, line(turn, 'holding.position', where), [button(turn, 'cancel_wait')]);
  switch (d.action) {
    case 'answer':
      return say(bot, line(turn, 'holding.meanwhile', { answer: answerOf(turn, d.faqId) }));
    case 'clarify':
      return offerChoices(bot, d);
    case 'none':
      return say(bot, line(turn, 'holding.noted'));
    case 'smalltalk':
      return say(bot, d.reply);
    case 'handoff':
      return say(bot, line(turn, d.handoffReason === 'requested' ? 'holding.position' : 'holding.still_waiting', where), [button(turn, 'cancel_wait')]);
  }
}

/** The customer no longer wants a person: out of the queue, agents told, back to the bot. */
async function cancelWait(bot: BotWorker, deps: BotDeps, turn: TactTurn): Promise<void> {
  if (!(await withdraw(deps, turn.session, 'cancelled'))) return;
  await say(bot, line(turn, 'holding.cancelled'));
  await sayStatus(bot, 'bot');
}

/** What the widget's message form carried: what happened, and contact details only when they are a phone number or an e-mail address. */
async function leftMessage(bot: BotWorker, deps: BotDeps, turn: TactTurn): Promise<void> {
  const what = turn.text.trim().slice(0, 2000);
  if (what === '') return say(bot, line(turn, 'holding.message_empty'), [button(turn, 'leave_message')]);
  // Waiting in the queue until now: the message replaces the wait.
  if (turn.session.handoff.kind === 'queued') deps.desk.leave(turn.session.id);
  const contact = turn.contact !== null && hasContactDetails(turn.contact) ? turn.contact.slice(0, 200) : null;
  await leaveMessage(bot, deps, turn, { what, contact });
}

function answerOf(turn: TactTurn, faqId: string | null): string {
  const faq = turn.index.kb.faqs.find((f) => f.id === faqId);
  return faq ? pick(faq.answer, turn.session.lang) : '';
}

/** "Which of these did you mean?" with the suggestions as buttons. */
function offerChoices(bot: BotWorker, d: Decision): Promise<void> {
  return say(
    bot,
    d.reply,
    d.suggestions.map((s) => ({ title: s.question, payload: `${PAYLOAD.faqPrefix}${s.faqId}` })),
  );
}

/** A goodbye after a real exchange earns the survey; a bare hello-goodbye does not. */
function hasTalked(turn: TactTurn): boolean {
  return turn.session.conversation.turns.some((t) => t.action === 'answer' || t.action === 'handoff');
}

