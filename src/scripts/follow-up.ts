/**
 * The follow-up (回访) of a resolved complaint, as the service standard asks:
 * once the escalation matrix's `followUp` time has passed (the scheduler's
 * task), the customer is asked in the chat whether the problem is solved:
 * at once if they have the chat open, else when they next come back.
 *
 *   yes  thanked; the follow-up is closed
 *   no   an apology, and the complaint reopened under its ticket, to the team that owns complaints
 *   else asked once more, then closed with an invitation to say so later
 *
 * It is asked only while the bot has the conversation and no dialog but a
 * stale survey is waiting for an answer; otherwise it waits for the next visit.
 */
import { BotkitConversation, type Botkit, type BotkitDialogWrapper as Convo, type BotkitMessage, type BotWorker } from 'botkit';
import type { BotDeps, TactTurn } from '../bot/pipeline/turn.js';
import { stepButtons, stepText, voiceOf, type DialogVars } from './dialog-text.js';
import { handOff } from './handoff.js';
import { line, pressed, say } from './say.js';
import { SURVEY_DIALOG } from './survey.js';

export const FOLLOW_UP_DIALOG = 'follow_up';

/** Asks the session's follow-up now, when one is due and the conversation is free for it. */
export async function askFollowUp(bot: BotWorker, deps: BotDeps, turn: TactTurn): Promise<void> {
  const { session } = turn;
  const due = session.followUp;
  if (!due || due.asked || session.handoff.kind !== 'bot') return;
  // A survey left unanswered when the case was resolved is stale by now; any other dialog is waiting for an answer that matters more.
  if (bot.hasActiveDialog() && !bot.getActiveDialog()?.id.startsWith(SURVEY_DIALOG)) return;
  await bot.cancelAllDialogs();
  await deps.sessions.followUp(session, { kind: 'followup', at: turn.now.toISOString(), op: 'asked', task: due.task, ticket: due.ticket });
  await bot.beginDialog(FOLLOW_UP_DIALOG, { lang: session.lang, task: due.task, ticket: due.ticket });
}

export function followUpDialog(controller: Botkit, deps: BotDeps): BotkitConversation {
  const convo = new BotkitConversation(FOLLOW_UP_DIALOG, controller);
  convo.ask(
    { text: stepText(deps, 'followup.ask', (vars) => ({ ticket: String(vars['ticket'] ?? '') })), quick_replies: stepButtons(deps, ['yes', 'no']) },
    async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
      const v = voiceOf(deps, c.vars as DialogVars);
      const payload = typeof message.value === 'string' ? message.value : null;
      if (pressed(v, 'yes', text, payload)) return c.setVar('solved', true);
      if (pressed(v, 'no', text, payload)) return c.setVar('solved', false);
      if (c.vars['asked_again'] === true) return c.setVar('solved', null);
      c.setVar('asked_again', true);
      await c.repeat();
    },
    'answer_raw',
  );
  // Marks the dialog completed (its `after` tells an answer from a dialog cut short).
  convo.addAction('complete');
  convo.after(async (results: DialogVars, bot: BotWorker) => answered(deps, results, bot));
  return convo;
}

async function answered(deps: BotDeps, vars: DialogVars, bot: BotWorker): Promise<void> {
  // Cut short (the customer asked for a person, or ended the chat): the answer is still open, and nothing is said.
  if (vars['_status'] !== 'completed') return;
  const v = voiceOf(deps, vars);
  const { session, index } = v;
  const solved = typeof vars['solved'] === 'boolean' ? vars['solved'] : null;
  const ticket = String(vars['ticket'] ?? '');
  await deps.sessions.followUp(session, { kind: 'followup', at: deps.now().toISOString(), op: 'answered', task: String(vars['task'] ?? ''), ticket, solved });
  deps.log.info('followup.answered', { session: session.id, ticket, solved });
  await deps.agents.followUpAnswered(session.id, ticket, solved);
  if (solved === true) return say(bot, line(v, 'followup.solved'));
  if (solved === null) return say(bot, line(v, 'followup.unsure'));
  const route = index.router.route('complaint', null, [], session.lang);
  const turn: TactTurn = { session, index, now: deps.now(), payload: null, contact: null, file: null, decision: null, text: '' };
  await say(bot, line(v, 'followup.unsolved', { ticket, team: route.escalation.teamName }));
  const summary = line(v, 'followup.case', { ticket });
  const context = { summary, order: null, answered: [], category: null, emotion: { score: 0, level: 'upset' as const, cues: [] }, suggestions: [], suggestedReply: '' };
  await handOff(bot, deps, turn, { reason: 'complaint', escalation: route.escalation, context, details: { followUp: 'unsolved', reopened: ticket }, announce: false, ticket });
}
