/**
 * Every conversation script, registered on a Botkit controller: the
 * dialogs (complaint intake, survey), the desk events and the main
 * message handler.
 */
import type { Botkit } from 'botkit';
import type { BotDeps } from '../bot/pipeline/turn.js';
import { complaintDialog } from './complaint.js';
import { followUpDialog } from './follow-up.js';
import { useDeskEvents } from './desk-events.js';
import { useRespond } from './respond.js';
import { surveyDialog } from './survey.js';

export function registerScripts(controller: Botkit, deps: BotDeps): void {
  controller.addDialog(complaintDialog(controller, deps));
  controller.addDialog(surveyDialog(controller, deps));
  controller.addDialog(followUpDialog(controller, deps));
  useDeskEvents(controller, deps);
  useRespond(controller, deps);
}
