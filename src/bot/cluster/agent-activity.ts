/**
 * Agents' recent activity, shared by every instance. An agent who claims or
 * answers through one instance is on duty on all of them (unless they said
 * otherwise): without this, a customer on another instance would be told
 * nobody can take the chat while the agent is working. One sorted set, each
 * agent scored with when their activity stops counting; every instance
 * reads it when it reloads presence (every couple of seconds).
 */
import type { Logger } from '../log.js';
import type { ActivityBoard, AgentKey } from '../pipeline/presence.js';
import type { Cluster } from './redis.js';

export class SharedActivity implements ActivityBoard {
  private readonly key: string;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
  ) {
    this.key = cluster.key('agents-active');
  }

  /** Fire and forget: while Redis is away the activity still counts on this instance. */
  mark(agent: AgentKey, until: number): void {
    // GT: a shorter activity (viewing the page) never cuts a longer one short.
    void this.cluster.redis.zadd(this.key, 'GT', until === Number.POSITIVE_INFINITY ? '+inf' : until, agent).catch((err: unknown) => this.log.warn('cluster.activity_failed', { err }));
  }

  async read(now: number): Promise<ReadonlyMap<AgentKey, number>> {
    const results = await this.cluster.redis.multi().zremrangebyscore(this.key, '-inf', now).zrange(this.key, now, '+inf', 'BYSCORE', 'WITHSCORES').exec();
    const [, ranged] = results ?? [];
    if (!ranged || ranged[0]) throw ranged?.[0] ?? new Error('no answer from Redis');
    const flat = ranged[1] as string[];
    const out = new Map<AgentKey, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const until = score(flat[i + 1] as string);
      if (until !== null) out.set(flat[i] as AgentKey, until);
    }
    return out;
  }
}

/** A score as Redis writes it: a number, or "inf" for an activity that never fades (agents on duty from the start in tests). */
function score(text: string): number | null {
  if (text === 'inf' || text === '+inf') return Number.POSITIVE_INFINITY;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
