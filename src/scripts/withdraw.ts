/**
 * A customer stops waiting for a person: they cancelled the request, or
 * ended the chat while queued. Recorded in the store (so a restart does not
 * queue them again, and /healthz counts only live requests), taken out of
 * the desk's queue (everyone behind moves up), and the agents' card says so.
 */
import type { BotDeps } from '../bot/pipeline/turn.js';
import type { ChatSession } from '../bot/pipeline/sessions.js';

export async function withdraw(deps: BotDeps, session: ChatSession, why: 'cancelled' | 'ended'): Promise<void> {
  await deps.store.append(session.id, { kind: 'withdrawn', at: deps.now().toISOString(), why });
  Object.assign(session, { status: 'bot', agent: null, handoff: null, offer: null });
  deps.desk.leave(session.id);
  deps.log.info('handoff.withdrawn', { session: session.id, why });
  await deps.agents.withdrawn(session.id, why);
}
