/**
 * Complaint intake, as the service standard asks: acknowledge and apologise,
 * collect what the team needs (order number, what happened, what the
 * customer wants), restate it and check it is right, ask for contact details
 * with consent (and say what they are for), then file the complaint with its
 * escalation path and tell the customer who handles it and by when.
 *
 *   default:  ack → order number (or skip) → what
 *   what:     what happened → what they want → "is this right?" (no → what again)
 *   contact:  phone or e-mail, with consent (or skip) → filed
 */
import { BotkitConversation, type Botkit, type BotkitDialogWrapper as Convo, type BotkitMessage, type BotWorker } from 'botkit';
import { routeComplaint } from '../bot/core/decide.js';
import type { EmotionReading, Suggestion } from '../bot/core/decision.js';
import { formatDuration } from '../bot/core/phrasing.js';
import { maskPii } from '../bot/core/mask.js';
import type { BotDeps } from '../bot/pipeline/turn.js';
import { complaintCase } from './case-context.js';
import { stepButtons, stepText, voiceOf, type DialogVars } from './dialog-text.js';
import { handOff, waitText } from './handoff.js';
import { hasContactDetails } from '../intents/contact.js';
import { formatOpening } from '../bot/core/service-hours.js';
import { line, pressed, say } from './say.js';

export const COMPLAINT_DIALOG = 'complaint';
/** The restatement quotes the customer up to this many characters. */
const RESTATE_CHARS = 120;

export function complaintDialog(controller: Botkit, deps: BotDeps): BotkitConversation {
  const convo = new BotkitConversation(COMPLAINT_DIALOG, controller);
  const answer = (key: string, skippable: boolean) => async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
    const v = voiceOf(deps, c.vars as DialogVars);
    c.setVar(key, skippable && pressed(v, 'skip', text, payloadOf(message)) ? '' : text.trim().slice(0, 1000));
  };
  // Contact details are kept only when they hold a phone number or an e-mail address; anything else is asked once more, then left out.
  const contact = async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
    const v = voiceOf(deps, c.vars as DialogVars);
    if (pressed(v, 'skip', text, payloadOf(message))) return c.setVar('contact', '');
    if (hasContactDetails(text)) return c.setVar('contact', text.trim().slice(0, 1000));
    if (askedAgain(c, 'contact')) return c.setVar('contact', '');
    await c.repeat();
  };

  convo.say({ text: stepText(deps, 'complaint.ack') });
  convo.ask({ text: stepText(deps, 'complaint.ask_order'), quick_replies: stepButtons(deps, ['skip']) }, answer('order', true), 'order_raw');
  convo.addAction('what');

  convo.addQuestion({ text: stepText(deps, 'complaint.ask_what_happened') }, answer('what', false), 'what_raw', 'what');
  convo.addQuestion({ text: stepText(deps, 'complaint.ask_wanted') }, answer('wanted', false), 'wanted_raw', 'what');
  convo.addQuestion(
    { text: stepText(deps, 'complaint.restate', (vars) => ({ summary: restatement(vars) })), quick_replies: stepButtons(deps, ['yes', 'no']) },
    async (text: string, c: Convo, _bot: BotWorker, message: BotkitMessage) => {
      const v = voiceOf(deps, c.vars as DialogVars);
      const payload = payloadOf(message);
      if (pressed(v, 'no', text, payload)) return c.gotoThread('what');
      // Neither yes nor no in the customer's words: ask once more before taking the restatement as right.
      if (pressed(v, 'yes', text, payload) || askedAgain(c, 'confirm')) return c.gotoThread('contact');
      await c.repeat();
    },
    'confirmed',
    'what',
  );

  convo.addQuestion({ text: stepText(deps, 'complaint.ask_contact'), quick_replies: stepButtons(deps, ['skip']) }, contact, 'contact_raw', 'contact');
  convo.addAction('complete', 'contact');
  convo.after(async (results: DialogVars, bot: BotWorker) => file(deps, results, bot));
  return convo;
}

/** Whether this step was already asked a second time; marks it so when not. */
function askedAgain(c: Convo, step: string): boolean {
  const key = `${step}_asked_again`;
  if (c.vars[key] === true) return true;
  c.setVar(key, true);
  return false;
}

/** The customer's own words, restated: personal data masked, cut to length. */
function restatement(vars: DialogVars): string {
  const parts = [vars['what'], vars['wanted']].filter((p): p is string => typeof p === 'string' && p !== '');
  const text = maskPii(parts.join(' / ')).replace(/\s+/g, ' ');
  return text.length > RESTATE_CHARS ? `${text.slice(0, RESTATE_CHARS)}…` : text;
}

async function file(deps: BotDeps, vars: DialogVars, bot: BotWorker): Promise<void> {
  // A dialog cut short (the customer asked for a person, or the chat ended) files nothing here.
  if (vars['_status'] !== 'completed' || typeof vars['what'] !== 'string') return;
  const v = voiceOf(deps, vars);
  const { session, index } = v;
  const str = (k: string): string => (typeof vars[k] === 'string' ? (vars[k] as string) : '');
  const route = routeComplaint(index, `${str('text')} ${str('what')}`, str('category') || null, session.lang);
  const turn = { session, index, now: deps.now(), payload: null, contact: null, file: null, decision: null, text: '' };
  const details = { order: str('order'), what: str('what'), wanted: str('wanted'), contact: str('contact'), causes: route.escalation.causes.join(',') };
  const context = {
    // The problem as the customer described and confirmed it, never their answer to the contact step.
    ...complaintCase(v, route, { what: str('what'), wanted: str('wanted'), order: str('order') }),
    category: str('category') || null,
    // What the first message showed, carried through the dialog's vars.
    emotion: (vars['emotion'] as EmotionReading | undefined) ?? { score: 0, level: 'upset' as const, cues: [] },
    suggestions: (vars['suggestions'] as readonly Suggestion[] | undefined) ?? [],
  };
  const filed = await handOff(bot, deps, turn, { reason: 'complaint', escalation: route.escalation, context, details, announce: false });
  // Over the handoff limits the customer has been told when to try again; nothing was filed.
  if (filed.kind === 'limited' || filed.kind === 'offered') return;
  const lib = index.kb.phrasing;
  const filedVars = {
    ticket: filed.ticket,
    team: route.escalation.teamName,
    resolution: formatDuration(lib, route.sla.resolution, session.lang),
    followup: formatDuration(lib, index.kb.escalation.followUp, session.lang),
  };
  if (filed.kind === 'queued') return say(bot, line(v, 'complaint.filed', { ...filedVars, wait: waitText(v, filed.waitSeconds) }));
  // Nobody could take it now: no promise of a call within minutes, only what will happen.
  const service = index.kb.shop.service;
  const when = filed.availability.kind === 'closed' && filed.availability.opening ? formatOpening(service, filed.availability.opening, session.lang) : filedVars.resolution;
  await say(bot, line(v, filed.availability.kind === 'closed' ? 'complaint.filed.after_hours' : 'complaint.filed.nobody', { ...filedVars, callback: when, hours: service.hours }));
}

function payloadOf(message: BotkitMessage): string | null {
  return typeof message.value === 'string' ? message.value : null;
}
