/**
 * What the customer hears when something happens on the desk's side: a
 * reminder while they wait, an agent joining, stepping away, coming back,
 * writing, handing back to the bot or resolving the case (which brings the
 * survey). Also the welcome when a chat opens, and the survey when the
 * customer ends the chat. These run as Botkit interrupts, so they reach the
 * customer even while a dialog is waiting for an answer.
 *
 * An agent's move is stored and heard only if the handoff state machine
 * (core/handoff.ts) accepts it now: a second agent joining a chat another
 * has, a "back" without an "away", a second "resolve" … change nothing and
 * the customer hears nothing (logged as handoff.refused).
 */
import type { Botkit, BotkitMessage, BotWorker } from 'botkit';
import type { AgentEventKind } from '../bot/store/store.js';
import { turnOf, type BotDeps, type TactTurn } from '../bot/pipeline/turn.js';
import type { EventData, ServerEventName } from '../bot/pipeline/turn-io.js';
import { waitText } from './handoff.js';
import { button, line, say, sayStatus } from './say.js';
import { withdraw } from './withdraw.js';
import { SURVEY_DIALOG } from './survey.js';
import { askFollowUp } from './follow-up.js';
import { openHandoff } from '../bot/core/handoff.js';

type Handler<N extends ServerEventName> = (bot: BotWorker, turn: TactTurn, data: EventData<N>) => Promise<void>;

export function useDeskEvents(controller: Botkit, deps: BotDeps): void {
  // The data is what the engine put on the activity from a typed ServerEvent of this name (engine.ts): Botkit carries it untyped.
  const on = <N extends ServerEventName>(name: N, handler: Handler<N>): void =>
    controller.interrupts(
      async () => true,
      name,
      async (bot: BotWorker, message: BotkitMessage) => handler(bot, turnOf(message), (message.incoming_message.value ?? {}) as EventData<N>),
    );
  /** Stores the agent's move and moves the session on, when the state machine accepts it; false (logged) when it refuses. */
  const moved = async (turn: TactTurn, event: AgentEventKind, agent: string): Promise<boolean> => {
    const step = await deps.sessions.moveHandoff(turn.session, { kind: 'agent', at: deps.now().toISOString(), event, agent });
    if (!step.ok) deps.log.info('handoff.refused', { session: turn.session.id, event, agent, why: step.why });
    return step.ok;
  };

  on('welcome', async (bot, turn) => say(bot, line(turn, 'voice.greeting')));
  // A resolved complaint's follow-up is asked as it comes due when the customer is here, else when they come back.
  on('returned', async (bot, turn) => askFollowUp(bot, deps, turn));
  on('followup', async (bot, turn) => askFollowUp(bot, deps, turn));
  on('end', async (bot, turn) => {
    if (bot.hasActiveDialog() && bot.getActiveDialog()?.id.startsWith(SURVEY_DIALOG)) return;
    // Ending the chat ends the wait too: the header, the queue, /healthz and the agents' card all say so.
    if (turn.session.handoff.kind === 'queued' && (await withdraw(deps, turn.session, 'ended'))) await sayStatus(bot, 'bot');
    await bot.cancelAllDialogs();
    await bot.beginDialog(SURVEY_DIALOG, { lang: turn.session.lang });
  });
  // The queue moved (quietly: the header shows the new place) or another interval passed (a reminder with the place and the wait).
  on('holding', async (bot, turn, data) => {
    if (turn.session.handoff.kind !== 'queued') return;
    const { position } = data;
    if (data.remind) {
      const wait = waitText(turn, data.waitSeconds);
      await say(bot, line(turn, deps.agents.delayed() ? 'holding.delayed' : 'holding.still_waiting', { position: String(position), wait }), [button(turn, 'cancel_wait')]);
    }
    await sayStatus(bot, 'queued', { position });
  });
  // The last agent went off duty while the customer waited: said once, with the choice to leave a message or keep waiting.
  on('unstaffed', async (bot, turn) => {
    if (turn.session.handoff.kind !== 'queued') return;
    await say(bot, line(turn, 'holding.unstaffed'), [button(turn, 'leave_message'), button(turn, 'cancel_wait')]);
  });
  on('agent_joined', async (bot, turn, { agent }) => {
    if (!(await moved(turn, 'joined', agent))) return;
    await say(bot, line(turn, 'agent.joined', { agent }));
    await sayStatus(bot, 'agent', { agent });
  });
  on('agent_away', async (bot, turn, { agent }) => {
    if (!(await moved(turn, 'away', agent))) return;
    await say(bot, line(turn, 'agent.away', { agent }));
  });
  on('agent_back', async (bot, turn, { agent }) => {
    if (!(await moved(turn, 'back', agent))) return;
    await sayStatus(bot, 'agent', { agent });
  });
  on('agent_message', async (bot, turn, { agent, text, file }) => {
    if (text.trim() === '' && !file) return;
    await bot.say({ type: 'message', text, channelData: { from: 'agent', agent, ...(file ? { file } : {}) } });
    // A customer who left the page hears it by e-mail, if they gave an address (a little later, unless they come back).
    await deps.commitments.repliedWhileAway(turn.session.id);
  });
  on('agent_returned', async (bot, turn, { agent }) => {
    if (!(await moved(turn, 'returned', agent))) return;
    await say(bot, line(turn, 'agent.back_to_bot'));
    await sayStatus(bot, 'bot');
  });
  on('agent_resolved', async (bot, turn, { agent }) => {
    const resolving = openHandoff(turn.session.handoff);
    if (!(await moved(turn, 'resolved', agent))) return;
    // The complaint confirmation promised a follow-up within the matrix's time: it is stored now, so it happens.
    if (resolving?.reason === 'complaint') await deps.commitments.followUp(turn.session.id, resolving, turn.index.kb.escalation.followUp, turn.now);
    await sayStatus(bot, 'bot');
    await bot.cancelAllDialogs();
    await bot.beginDialog(SURVEY_DIALOG, { lang: turn.session.lang });
  });
}
