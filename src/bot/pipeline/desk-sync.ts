/**
 * The queue for a person as the store holds it: every conversation with an
 * open handoff still waiting for someone, in the order it was handed off,
 * with its team's times. The desk is made to match it at startup (customers
 * who were waiting when the server stopped wait again) and, with several
 * instances, every few seconds (a customer queued or claimed through another
 * instance). Only the store's index of open conversations is read, then the
 * handed-off ones among them.
 */
import type { EscalationMatrix } from '../../kb/types.js';
import { replay } from '../core/handoff.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { MIN_REMIND_MS, type QueueEntry, type TeamTimes } from './desk.js';

/** A team's times, with the defaults a team without an SLA waits by. */
export function teamTimesOf(escalation: EscalationMatrix, team: string): TeamTimes {
  const sla = escalation.teams.get(team)?.sla;
  return { firstResponseSeconds: sla?.firstResponse.seconds ?? 60, resolutionSeconds: sla?.resolution.seconds ?? 3600 };
}

/** The waiting customers in the store, oldest handoff first; a conversation that cannot be read is logged and left out. */
export async function queuedInStore(store: Store, escalation: EscalationMatrix, log: Logger): Promise<QueueEntry[]> {
  // Only chat conversations are handed off: the store's own logs (outbox, cards, duty) never hold a handoff.
  const open = (await store.unfinished()).filter((c) => c.handoffAt !== null).sort((a, b) => (a.handoffAt ?? '').localeCompare(b.handoffAt ?? ''));
  const states = await Promise.all(
    open.map(async (c) => {
      try {
        return { id: c.id, state: replay(await store.read(c.id)) };
      } catch (err) {
        log.error('requeue.unreadable', { session: c.id, err });
        return null;
      }
    }),
  );
  return states.flatMap((s) => {
    if (s === null || s.state.kind !== 'queued') return [];
    const times = teamTimesOf(escalation, s.state.handoff.team);
    return [{ sessionId: s.id, team: s.state.handoff.team, times, remindEveryMs: Math.max(MIN_REMIND_MS, times.firstResponseSeconds * 1000) }];
  });
}
