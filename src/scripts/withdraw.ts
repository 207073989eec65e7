/**
 * A customer stops waiting for a person: they cancelled the request, or
 * ended the chat while queued. Recorded in the store (so a restart does not
 * queue them again, and /healthz counts only live requests), taken out of
 * the desk's queue (everyone behind moves up), and the agents' card says so.
 * The handoff state machine decides whether there is anything to withdraw
 * (nothing open, or an agent already has the chat: nothing happens).
 */
import type { BotDeps } from '../bot/pipeline/turn.js';
import type { ChatSession } from '../bot/pipeline/sessions.js';

/** True when the request was withdrawn; false when the state machine refused it (logged). */
export async function withdraw(deps: BotDeps, session: ChatSession, why: 'cancelled' | 'ended'): Promise<boolean> {
  const step = await deps.sessions.moveHandoff(session, { kind: 'withdrawn', at: deps.now().toISOString(), why });
  if (!step.ok) {
    deps.log.info('handoff.refused', { session: session.id, event: 'withdrawn', why: step.why });
    return false;
  }
  session.offer = null;
  deps.desk.leave(session.id);
  deps.log.info('handoff.withdrawn', { session: session.id, why });
  await deps.agents.withdrawn(session.id, why);
  return true;
}
