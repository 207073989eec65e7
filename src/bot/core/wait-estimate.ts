/**
 * How long a customer in the queue can expect to wait, said to them only
 * when it is computed, never a constant: their place in the queue, shared
 * among the agents on duty, times how long the team has been taking per
 * conversation lately (the median of recent handling times, so one long
 * case does not double everyone's estimate). Before the team has handled
 * anything the SLA's first-response time stands in for that.
 *
 * The estimate is bounded: never under a minute (nobody is answered
 * instantly), never over the team's resolution time (past that the SLA
 * reminders in Slack and on the admin page are already escalating).
 */
export interface WaitInputs {
  /** The customer's place in their team's queue, from 1. */
  readonly position: number;
  /** Agents who can take a conversation now (at least one, or nobody is queued live). */
  readonly agentsOnDuty: number;
  /** Seconds each of the team's recent conversations took, from an agent joining to it being closed. */
  readonly handlingSeconds: readonly number[];
  readonly firstResponseSeconds: number;
  readonly resolutionSeconds: number;
}

export const MIN_WAIT_SECONDS = 60;

export function estimateWait(i: WaitInputs): number {
  const perCustomer = median(i.handlingSeconds) ?? i.firstResponseSeconds;
  const rounds = Math.ceil(Math.max(1, i.position) / Math.max(1, i.agentsOnDuty));
  const upper = Math.max(MIN_WAIT_SECONDS, i.resolutionSeconds);
  return Math.min(upper, Math.max(MIN_WAIT_SECONDS, Math.round(rounds * perCustomer)));
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
