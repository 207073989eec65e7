/**
 * One instance of the deployment at a time is the leader, and only it runs
 * the jobs that must run once per deployment, not once per instance (the
 * SLA and desk ticks, the Slack outbox, re-running pending turns at
 * startup). Leadership is a lease in Redis (lease.ts) that every instance
 * tries to take every few seconds and the leader renews, so when the
 * leader dies or is cut off another takes over once its lease expires.
 *
 * An instance counts itself leader only while it is sure no other can be:
 * until the lease's ttl (less a tenth, for timer slack) counted from when it
 * *sent* the last successful renewal, which is before Redis started the
 * lease's clock. If a renewal is refused (the lease is someone else's) it
 * steps down at once; if Redis cannot be reached it stays leader until
 * then, so a short blip does not move the jobs, and steps down after. While
 * Redis is away nobody is leader: the once-per-deployment jobs wait rather
 * than run twice.
 */
import type { Logger } from '../log.js';
import { newLease, releaseLease, renewLease, takeLease, type Lease } from './lease.js';
import type { Cluster } from './redis.js';

export interface LeaderOptions {
  /** How long the lease lasts unless renewed; default 10 s. */
  readonly ttlMs?: number;
  /** How often the leader renews and the others try to take over; default 3 s. */
  readonly renewEveryMs?: number;
  /** Called each time this instance becomes leader (true) or stops being it (false). */
  readonly onChange?: (leading: boolean) => void;
}

const DEFAULTS = { ttlMs: 10_000, renewEveryMs: 3000 } as const;

/**
 * @example
 *   const leader = await Leader.start(cluster, log, { onChange: (leading) => (leading ? desk.startTicks() : desk.stopTicks()) });
 *   if (leader.isLeader()) await rerunPendingTurns();
 */
export class Leader {
  private lease: Lease;
  private leading = false;
  /** Past this time (ms) this instance cannot be sure the lease is still its own. */
  private sureUntil = 0;
  private closed = false;
  private redisAway = false;
  private nextTry: NodeJS.Timeout | null = null;
  private expiry: NodeJS.Timeout | null = null;
  private trying: Promise<void> = Promise.resolve();
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;

  private constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
    private readonly opts: LeaderOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? DEFAULTS.ttlMs;
    this.renewEveryMs = opts.renewEveryMs ?? DEFAULTS.renewEveryMs;
    if (!(this.renewEveryMs < this.ttlMs * 0.9)) throw new RangeError(`leader: renewEveryMs (${this.renewEveryMs}) must be well under ttlMs (${this.ttlMs})`);
    this.lease = newLease(cluster.key('leader'), cluster.instanceId);
  }

  /** Starts campaigning; resolves after the first try, so `isLeader()` already says whether this instance leads. */
  static async start(cluster: Cluster, log: Logger, opts: LeaderOptions = {}): Promise<Leader> {
    const leader = new Leader(cluster, log, opts);
    await leader.campaign();
    return leader;
  }

  isLeader(): boolean {
    return this.leading && Date.now() < this.sureUntil;
  }

  /** Stops campaigning and, if leading, steps down and gives the lease up, so another instance takes over at its next try. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.nextTry) clearTimeout(this.nextTry);
    await this.trying;
    if (!this.leading) return;
    this.stepDown('closed');
    await releaseLease(this.cluster.redis, this.lease).catch((err: unknown) => this.log.warn('cluster.leader_unreleased', { err, expiresInMs: this.ttlMs }));
  }

  /** One try (renew if leading, else take), then the next one scheduled. */
  private campaign(): Promise<void> {
    this.trying = this.tryOnce().finally(() => {
      if (this.closed) return;
      this.nextTry = setTimeout(() => void this.campaign(), this.renewEveryMs);
      this.nextTry.unref();
    });
    return this.trying;
  }

  private async tryOnce(): Promise<void> {
    const sentAt = Date.now();
    try {
      if (this.leading) {
        if (await renewLease(this.cluster.redis, this.lease, this.ttlMs)) this.sure(sentAt);
        else this.stepDown('lease taken or expired');
      } else {
        this.lease = newLease(this.cluster.key('leader'), this.cluster.instanceId);
        if (await takeLease(this.cluster.redis, this.lease, this.ttlMs)) this.stepUp(sentAt);
      }
      this.reachable();
    } catch (err) {
      // Still leader until sureUntil (the expiry timer steps down then); a follower stays one.
      this.unreachable(err);
    }
  }

  private stepUp(sentAt: number): void {
    this.leading = true;
    this.sure(sentAt);
    this.log.info('cluster.leader_elected', { instance: this.cluster.instanceId });
    this.tell(true);
  }

  private stepDown(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.log.info('cluster.leader_stepped_down', { instance: this.cluster.instanceId, reason });
    this.tell(false);
  }

  /** The lease was ours when `sentAt`: sure of it until a tenth short of its ttl from then, and the expiry timer moved there. */
  private sure(sentAt: number): void {
    this.sureUntil = sentAt + this.ttlMs - this.ttlMs / 10;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.stepDown('lease not renewed in time'), Math.max(0, this.sureUntil - Date.now()));
    this.expiry.unref();
  }

  private tell(leading: boolean): void {
    try {
      this.opts.onChange?.(leading);
    } catch (err) {
      this.log.error('cluster.leader_on_change_failed', { leading, err });
    }
  }

  private reachable(): void {
    if (!this.redisAway) return;
    this.redisAway = false;
    this.log.info('cluster.leader_redis_back', { leading: this.leading });
  }

  private unreachable(err: unknown): void {
    if (this.redisAway) return;
    this.redisAway = true;
    this.log.warn('cluster.leader_redis_away', { err, leading: this.leading, note: 'a leader steps down once its lease may have expired; nobody leads until Redis is back' });
  }
}
