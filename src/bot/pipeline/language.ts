/**
 * The conversation's language, as the pipeline keeps it: the customer's,
 * from their own messages (intents/language.ts has the rule), the page's
 * language being only the first guess. Bot replies, dialog steps, the
 * widget's own labels and the agent's card all follow it.
 *
 * A switch is stored first (a `session` event, so a restart or a reload
 * keeps it), then made in memory; the turn then tells the widget (a `lang`
 * frame) before any reply in the new language.
 */
import { analyze } from '../../intents/analyze.js';
import { followLanguage } from '../../intents/language.js';
import type { Lexicon } from '../../intents/lexicon.js';
import type { Lang } from '../../kb/types.js';
import type { Store } from '../store/store.js';
import { sessionEvent, type ChatSession } from './sessions.js';

/**
 * The language after a message the decision core does not see (a dialog
 * step, a message to a person). Only typed words count: a tapped button's
 * label (payload set) is Tact's own wording, not the customer's.
 */
export function languageAfter(lexicon: Lexicon, session: ChatSession, text: string, payload: string | null): Lang {
  if (payload !== null) return session.lang;
  return followLanguage(session.lang, analyze(text, lexicon));
}

/**
 * Moves the session to `lang` if it is in another one: stored, then in
 * memory (the conversation's language too). Returns whether it changed.
 *
 * @example if (await switchLanguage(store, session, 'en', now.toISOString())) await tellWidget('en');
 */
export async function switchLanguage(store: Store, session: ChatSession, lang: Lang, at: string): Promise<boolean> {
  if (session.lang === lang) return false;
  await store.append(session.id, sessionEvent({ ...session, lang }, at));
  session.lang = lang;
  session.conversation = { ...session.conversation, lang };
  return true;
}
