/**
 * "Have we seen this before?", asked once per Slack event id: Slack
 * redelivers an event it thinks failed (for about an hour), and a customer
 * must never get an agent's reply twice. The app also asks it, with a
 * short memory, for a claim, so two agents pressing Claim at once on two
 * instances cannot both get the conversation.
 *
 * One instance alone remembers in memory (the last few thousand ids). With
 * several, Slack retries to whichever instance the load balancer picks, so
 * the memory is Redis's: `SET <prefix>slack-seen:<id> NX EX 3600`, the first
 * instance to set it handles the event. While Redis cannot be reached, each
 * instance falls back to its own memory (it always keeps one), and says so
 * once per outage: a retry landing on another instance then may be handled
 * twice, which is the best available without Redis.
 */
import type { Logger } from '../../log.js';
import type { Cluster } from '../../cluster/redis.js';

export interface SeenEvents {
  /** True the first time `id` is asked about (within the memory's reach), false after. */
  firstTime(id: string): Promise<boolean>;
}

/** Event ids remembered in memory by default (Slack retries for about an hour; a few thousand events at most). */
export const LOCAL_SEEN = 5000;

/** In memory: the last `max` ids, the oldest forgotten first. */
export class LocalSeenEvents implements SeenEvents {
  private readonly seen = new Set<string>();

  constructor(private readonly max = LOCAL_SEEN) {}

  firstTime(id: string): Promise<boolean> {
    return Promise.resolve(this.note(id));
  }

  /** The same, at once: remembers `id` and says whether it is new. */
  note(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

export interface RedisSeenOptions {
  /** The key's middle part: `<prefix><name>:<id>`. */
  readonly name: string;
  /** How long an id is remembered. */
  readonly ttlSeconds: number;
}

/** Shared by every instance through Redis, with this instance's own memory as the fallback. */
export class RedisSeenEvents implements SeenEvents {
  private readonly local = new LocalSeenEvents();
  private away = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
    private readonly opts: RedisSeenOptions,
  ) {}

  async firstTime(id: string): Promise<boolean> {
    const newHere = this.local.note(id);
    try {
      const set = await this.cluster.redis.set(this.cluster.key(this.opts.name, id), this.cluster.instanceId, 'EX', this.opts.ttlSeconds, 'NX');
      this.reachable();
      return set === 'OK' && newHere;
    } catch (err) {
      this.unreachable(err);
      return newHere;
    }
  }

  private reachable(): void {
    if (!this.away) return;
    this.away = false;
    this.log.info('slack.seen_shared_again', { name: this.opts.name });
  }

  private unreachable(err: unknown): void {
    if (this.away) return;
    this.away = true;
    this.log.warn('slack.seen_local_only', { name: this.opts.name, err, note: 'Redis is unreachable: ids are remembered by this instance only until it is back' });
  }
}
