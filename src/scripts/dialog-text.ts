/**
 * Text for BotkitConversation steps. Botkit calls a step's text function
 * with the dialog's vars (which carry the session id as `channel`) and then
 * runs the result through mustache; customer words restated in a template
 * must not be read as {{tags}}, so every such text is made inert first.
 */
import type { PhraseVars } from '../bot/core/phrasing.js';
import type { QuickReply } from '../bot/channels/web/protocol.js';
import type { BotDeps } from '../bot/pipeline/turn.js';
import { button, line, type Voice } from './say.js';

export interface DialogVars {
  readonly channel: string;
  readonly [key: string]: unknown;
}

export function voiceOf(deps: BotDeps, vars: DialogVars): Voice {
  const session = deps.sessions.get(vars.channel);
  if (!session) throw new Error(`dialog for unknown session ${vars.channel}`);
  return { index: deps.index(), session };
}

/** A step's text: the template, filled from the vars `fill` picks. */
export function stepText(deps: BotDeps, name: string, fill: (vars: DialogVars) => PhraseVars = () => ({})) {
  return (_template: unknown, vars: DialogVars): string => inert(line(voiceOf(deps, vars), name, fill(vars)));
}

export function stepButtons(deps: BotDeps, names: readonly ('yes' | 'no' | 'skip' | 'human')[]) {
  return (_template: unknown, vars: DialogVars): QuickReply[] => names.map((n) => button(voiceOf(deps, vars), n));
}

/** Breaks mustache's {{ and }} with an invisible space, so customer text stays text. */
export function inert(text: string): string {
  return text.replace(/\{\{/g, '{\u200b{').replace(/\}\}/g, '}\u200b}');
}
