/**
 * The customer's message, answered by the decision the pipeline made:
 *
 *   answer     the FAQ's answer, which asks whether there is anything else
 *   clarify    "which of these did you mean?" with the suggestions as buttons
 *   none       a polite apology, with a "talk to a person" button
 *   smalltalk  answered in kind; a goodbye ends the chat with the survey
 *   handoff    a complaint starts the complaint intake; anything else is told
 *              why it is passed on and joins the queue
 *
 * While a person has the conversation the bot stays quiet: the message is
 * theirs. While the customer waits in the queue, the bot only speaks when
 * asked (asking for a person again gets their current place in the queue).
 */
import type { Botkit, BotkitMessage, BotWorker } from 'botkit';
import type { Decision } from '../bot/core/decision.js';
import { PAYLOAD, turnOf, type BotDeps, type TactTurn } from '../bot/pipeline/turn.js';
import { handoffCase } from './case-context.js';
import { COMPLAINT_DIALOG } from './complaint.js';
import { handOff } from './handoff.js';
import { button, line, say } from './say.js';
import { SURVEY_DIALOG } from './survey.js';

export function useRespond(controller: Botkit, deps: BotDeps): void {
  controller.on('message', async (bot: BotWorker, message: BotkitMessage) => {
    const turn = turnOf(message);
    if (turn.decision) await respond(bot, deps, turn, turn.decision);
    // A person has the conversation: the message is theirs.
    else if (turn.session.status === 'agent' && !bot.hasActiveDialog()) await deps.agents.customerSaid(turn.session.id, turn.text);
  });
  // "Talk to a person" wins over whatever dialog is running.
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

export async function respond(bot: BotWorker, deps: BotDeps, turn: TactTurn, d: Decision): Promise<void> {
  if (turn.session.status === 'queued') {
    await deps.agents.customerSaid(turn.session.id, turn.text);
    return whileQueued(bot, deps, turn, d);
  }
  switch (d.action) {
    case 'answer':
      return say(bot, d.reply);
    case 'clarify':
      return say(
        bot,
        d.reply,
        d.suggestions.map((s) => ({ title: s.question, payload: `${PAYLOAD.faqPrefix}${s.faqId}` })),
      );
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

async function whileQueued(bot: BotWorker, deps: BotDeps, turn: TactTurn, d: Decision): Promise<void> {
  if (d.action !== 'handoff' || d.handoffReason !== 'requested') return;
  const position = deps.desk.position(turn.session.id) ?? 1;
  await say(bot, line(turn, 'holding.still_waiting', { position: String(position) }));
}

/** A goodbye after a real exchange earns the survey; a bare hello-goodbye does not. */
function hasTalked(turn: TactTurn): boolean {
  return turn.session.conversation.turns.some((t) => t.action === 'answer' || t.action === 'handoff');
}

