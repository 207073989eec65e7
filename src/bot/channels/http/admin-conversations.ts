/**
 * The conversations routes of /admin, so a team without Slack (or someone
 * trying the demo) can act as the agent:
 *
 *   GET  /admin/conversations               the open handoffs
 *   POST /admin/conversations/:id/reply     claim if nobody has, then send (typed text or the suggestion);
 *                                           refused (409) when another agent has the conversation
 *   POST /admin/conversations/:id/return    back to the bot
 *   POST /admin/conversations/:id/resolve   done: the customer gets the survey
 *   POST /admin/conversations/:id/reveal    the contact details the customer gave with consent, in full, once
 *                                           (for a call-back); the page shows them masked
 *   POST /admin/duty                        on=1|0: the signed-in agent goes on or off duty
 *
 * A staff member acts under their own name (the customer sees it) and has
 * their own presence; whoever uses the admin token is one shared "admin
 * desk" and types the name the customer sees. Having the conversations view
 * open counts as being on duty (it reloads every few seconds) unless the
 * agent said they are off. Every action, and every reveal, is written to the
 * audit log with who did it (pipeline/staff-audit.ts), never with the data.
 *
 * Like Slack, this surface only calls the desk; the scripts tell the customer.
 */
import { nextHandoff } from '../../core/handoff.js';
import { maskPii } from '../../core/mask.js';
import type { Logger } from '../../log.js';
import type { Desk } from '../../pipeline/desk.js';
import { VIEWING_MS, type AgentKey } from '../../pipeline/presence.js';
import { recordAudit } from '../../pipeline/staff-audit.js';
import { CONVERSATION_ID, type Store, type StoredTask } from '../../store/store.js';
import type { KnowledgeBase } from '../../../kb/types.js';
import { contactPage, conversationsPage } from './admin-conversations-page.js';
import { openHandoffs, readOpenHandoffs, type OpenHandoff } from './admin-handoffs.js';
import { AdminError, field, redirect, sendHtml, type AdminRequest, type Route, type Viewer } from './admin-http.js';

export interface ConversationRouteDeps {
  readonly kb: () => KnowledgeBase;
  /** The standard's suggested first reply for a handoff stored without its case (before the case was kept with it). */
  readonly suggest: (handoff: OpenHandoff) => string;
  readonly store: Store;
  readonly desk: Desk;
  readonly log: Logger;
  readonly now: () => Date;
  /** Promises kept for later, soonest first (the scheduler's tasks). */
  readonly promises: () => readonly StoredTask[];
}

const DESK_ACTIONS = ['reply', 'return', 'resolve'] as const;
type DeskAction = (typeof DESK_ACTIONS)[number];

const MAX_REPLY_CHARS = 4000;
const MAX_NAME_CHARS = 60;

/** The admin page as an agent surface for whoever uses the admin token (see pipeline/presence.ts). */
export const ADMIN_DESK: AgentKey = 'admin:desk';

/** A staff member is an agent of their own (under staff:, so a person named "desk" is not the token's desk); the token's users share the admin desk. */
function agentKey(viewer: Viewer): AgentKey {
  return viewer.account ? `admin:staff:${viewer.who}` : ADMIN_DESK;
}

export function conversationRoutes(d: ConversationRouteDeps): Route[] {
  return [
    { method: 'GET', path: /^\/admin\/conversations$/, need: 'desk', handle: (r) => list(d, r) },
    { method: 'POST', path: /^\/admin\/duty$/, need: 'desk', handle: (r) => duty(d, r) },
    { method: 'POST', path: /^\/admin\/conversations\/([^/]+)\/reveal$/, need: 'desk', handle: (r) => reveal(d, r, r.params[0] ?? '') },
    ...DESK_ACTIONS.map((action): Route => ({ method: 'POST', path: new RegExp(`^/admin/conversations/([^/]+)/${action}$`), need: 'desk', handle: (r) => act(d, r, r.params[0] ?? '', action) })),
  ];
}

async function list(d: ConversationRouteDeps, r: AdminRequest): Promise<void> {
  const now = d.now();
  const presence = d.desk.presence;
  const me = agentKey(r.viewer);
  presence.active(me, now, VIEWING_MS);
  const open = await readOpenHandoffs(d.store, (id, err) => d.log.warn('admin.conversation_unreadable', { session: id, err }));
  const views = open.map((handoff) => ({ handoff, suggestion: suggestion(d, handoff) }));
  const duty = { onDuty: presence.isOnDuty(me, now), declared: presence.declaredBy(me), agentsOnDuty: presence.onDuty(now).length };
  sendHtml(r.res, 200, conversationsPage(views, d.kb(), r.viewer, duty, d.promises()));
}

async function duty(d: ConversationRouteDeps, r: AdminRequest): Promise<void> {
  const on = r.form.get('on');
  if (on !== '1' && on !== '0') throw new AdminError(422, 'bad_duty', 'on must be 1 (on duty) or 0 (off duty).');
  await d.desk.presence.declare(agentKey(r.viewer), on === '1', d.now());
  await recordAudit(d.store, d.now(), { who: r.viewer.who, action: on === '1' ? 'duty-on' : 'duty-off' });
  d.log.info('admin.duty', { on: on === '1', who: r.viewer.who });
  redirect(r.res, '/admin/conversations');
}

/**
 * The contact details given with consent, in full, for a call-back: on a
 * page of their own (never cached, never in a URL), after the reveal is in
 * the audit log — who, when, which conversation and ticket, not the details.
 */
async function reveal(d: ConversationRouteDeps, r: AdminRequest, id: string): Promise<void> {
  const handoff = await openHandoff(d, id);
  if (handoff.contacts.length === 0) throw new AdminError(404, 'no_contact', 'The customer left no contact details (with their consent) in this conversation.');
  await recordAudit(d.store, d.now(), { who: r.viewer.who, action: 'reveal-contact', conversation: id, ticket: handoff.ticket });
  d.log.info('admin.contact_revealed', { session: id, ticket: handoff.ticket, who: r.viewer.who });
  sendHtml(r.res, 200, contactPage(handoff, r.viewer));
}

async function act(d: ConversationRouteDeps, r: AdminRequest, id: string, action: DeskAction): Promise<void> {
  const handoff = await openHandoff(d, id);
  // A staff member answers under their own name; the token's users type the one the customer sees.
  const agent = r.viewer.account ? r.viewer.who : field(r.form, 'agent', MAX_NAME_CHARS) || 'admin';
  switch (action) {
    case 'reply': {
      const text = r.form.get('use') === 'suggestion' ? suggestion(d, handoff) : field(r.form, 'text', MAX_REPLY_CHARS);
      if (text === '') throw new AdminError(422, 'empty_reply', 'Type a reply first (or send the suggested reply).');
      if (claims(handoff, agent)) await d.desk.claim(id, agent);
      await d.desk.reply(id, agent, text);
      break;
    }
    case 'return':
      await d.desk.returnToBot(id, agent);
      break;
    case 'resolve':
      await d.desk.resolve(id, agent);
      break;
  }
  await recordAudit(d.store, d.now(), { who: r.viewer.who, action, conversation: id, ticket: handoff.ticket });
  d.log.info('admin.desk', { session: id, action, agent, who: r.viewer.who });
  redirect(r.res, action === 'reply' ? `/admin/conversations#c-${id}` : '/admin/conversations');
}

/** The conversation's open handoff; refused when there is none (already returned or resolved, or no such conversation). */
async function openHandoff(d: ConversationRouteDeps, id: string): Promise<OpenHandoff> {
  if (!CONVERSATION_ID.test(id)) throw new AdminError(404, 'no_conversation', 'There is no such conversation.');
  const events = await d.store.read(id);
  const open = openHandoffs(new Map([[id, events]]))[0];
  if (!open) throw new AdminError(409, 'not_handed_off', 'This conversation is no longer waiting for a person (it was returned to the bot or resolved).');
  return open;
}

/**
 * The first to answer owns the conversation, as in Slack: a reply claims it
 * when nobody has (true), is sent as is by the agent who has it (false),
 * and is refused when another agent has it (the state machine's already_claimed).
 */
function claims(h: OpenHandoff, agent: string): boolean {
  const step = nextHandoff(h.state, { kind: 'joined', agent });
  if (step.ok) return true;
  if (h.state.kind === 'agent' && h.state.agent === agent) return false;
  throw new AdminError(409, step.why, `${h.agent ?? 'Another agent'} has this conversation now: only they reply to the customer (returning it to the bot or resolving it is still open to anyone).`);
}

/** The suggested reply agents were shown at the handoff (as on Slack's card): the standard's phrasing for its reason, never a reply the bot gave the customer. */
function suggestion(d: ConversationRouteDeps, h: OpenHandoff): string {
  return maskPii(h.case?.suggestedReply ?? d.suggest(h));
}
