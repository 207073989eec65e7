/**
 * The satisfaction survey when a conversation ends (the customer says
 * goodbye or presses "end chat", or the agent resolves the case): a score
 * from 1 to 5 with buttons, an optional comment, then the farewell voice.
 * An answer that is not a score is asked once more, then the survey ends
 * without one rather than pestering the customer.
 */
import { BotkitConversation, type Botkit, type BotkitDialogWrapper as Convo, type BotkitMessage, type BotWorker } from 'botkit';
import { PAYLOAD, type BotDeps } from '../bot/pipeline/turn.js';
import { stepButtons, stepText, voiceOf, type DialogVars } from './dialog-text.js';
import { pressed } from './say.js';

export const SURVEY_DIALOG = 'survey';

export function surveyDialog(controller: Botkit, deps: BotDeps): BotkitConversation {
  const convo = new BotkitConversation(SURVEY_DIALOG, controller);
  const scores = (): { title: string; payload: string }[] => [1, 2, 3, 4, 5].map((n) => ({ title: String(n), payload: `${PAYLOAD.ratingPrefix}${n}` }));

  convo.ask(
    { text: stepText(deps, 'survey.ask'), quick_replies: scores },
    async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
      const score = scoreOf(text, typeof message.value === 'string' ? message.value : null);
      if (score !== null) {
        c.setVar('score', score);
        return;
      }
      const tries = Number(c.vars['tries'] ?? 0) + 1;
      c.setVar('tries', tries);
      if (tries < 2) await c.repeat();
      else await c.gotoThread('farewell');
    },
    'score_raw',
  );
  convo.ask(
    { text: stepText(deps, 'survey.ask_comment'), quick_replies: stepButtons(deps, ['skip']) },
    async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
      const skipped = pressed(voiceOf(deps, c.vars as DialogVars), 'skip', text, typeof message.value === 'string' ? message.value : null);
      c.setVar('comment', skipped ? null : text.trim().slice(0, 1000));
      await c.gotoThread('farewell');
    },
    'comment_raw',
  );
  convo.before('farewell', async (c: Convo) => {
    const score = c.vars['score'];
    if (typeof score !== 'number') return;
    const comment = typeof c.vars['comment'] === 'string' ? (c.vars['comment'] as string) : null;
    const sessionId = (c.vars as DialogVars).channel;
    await deps.store.append(sessionId, { kind: 'rating', at: deps.now().toISOString(), score, comment });
    await deps.agents.rated(sessionId, score, comment);
  });
  convo.addMessage({ text: stepText(deps, 'survey.thanks') }, 'farewell');
  convo.addAction('complete', 'farewell');
  return convo;
}

/** 1–5 from a tapped button or typed as a lone digit. */
function scoreOf(text: string, payload: string | null): number | null {
  const raw = payload?.startsWith(PAYLOAD.ratingPrefix) ? payload.slice(PAYLOAD.ratingPrefix.length) : text.normalize('NFKC').trim();
  return /^[1-5]$/.test(raw) ? Number(raw) : null;
}
