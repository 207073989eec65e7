/**
 * Turns of one conversation one at a time across instances. Within this
 * instance they are chained in arrival order as in one process
 * (LocalTurnQueue); around each turn, the instance holds the
 * conversation's lease in Redis (lease.ts), so a turn on another instance
 * waits until this one is over. Across instances the order is the order in
 * which the lease is won, which is near enough to arrival order: what
 * matters is that two turns never read and write one dialog at once.
 *
 * Waiting polls, 10 ms doubling to 200 ms, and gives up after 30 s with a
 * TurnLeaseError (TURN_LEASE_TIMEOUT): a turn stuck that long elsewhere is
 * a fault, and the customer is better told than kept waiting. The lease
 * lasts 15 s and is renewed every 5 s while the turn runs, so a long turn
 * keeps it, and a dead instance's lease expires by itself.
 *
 * While Redis cannot be reached, turns run without a lease: availability
 * over strict order. Each instance still runs one turn of a conversation at
 * a time, and the PostgreSQL store appends one conversation's messages one
 * at a time (its row lock), so the worst case is two instances answering
 * one customer at once during the outage, never a lost or garbled message.
 * Such turns are counted (`unleasedTurns`) and the outage is logged once.
 */
import type { Logger } from '../log.js';
import { LocalTurnQueue, type TurnQueue } from '../pipeline/turn-queue.js';
import { newLease, releaseLease, renewLease, takeLease, type Lease } from './lease.js';
import type { Cluster } from './redis.js';

export interface LeaseTurnOptions {
  /** How long a lease lasts unless renewed; default 15 s. */
  readonly ttlMs?: number;
  /** How often a running turn renews its lease; default a third of the ttl. */
  readonly renewEveryMs?: number;
  /** Longest a turn waits for another instance's turn of its conversation; default 30 s. */
  readonly maxWaitMs?: number;
  /** First pause between tries, doubled after each up to `maxPollMs`; default 10 ms. */
  readonly firstPollMs?: number;
  /** Default 200 ms. */
  readonly maxPollMs?: number;
}

const DEFAULTS = { ttlMs: 15_000, maxWaitMs: 30_000, firstPollMs: 10, maxPollMs: 200 } as const;

/** TURN_LEASE_TIMEOUT: another instance held the conversation's turn for longer than the wait allows; the turn did not run. */
export type TurnLeaseErrorCode = 'TURN_LEASE_TIMEOUT';

export class TurnLeaseError extends Error {
  constructor(
    readonly code: TurnLeaseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TurnLeaseError';
  }
}

/**
 * @example
 *   const queue = new LeaseTurnQueue(cluster, log);
 *   const engine = await createEngine(deps, outlet.deliver, registerScripts, queue);
 */
export class LeaseTurnQueue implements TurnQueue {
  private readonly local = new LocalTurnQueue();
  private readonly opts: Required<LeaseTurnOptions>;
  private unleased = 0;
  /** Set while Redis cannot be reached, so an outage is logged once, not once per turn. */
  private redisAway = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
    opts: LeaseTurnOptions = {},
  ) {
    const ttlMs = opts.ttlMs ?? DEFAULTS.ttlMs;
    this.opts = {
      ttlMs,
      renewEveryMs: opts.renewEveryMs ?? Math.max(1, Math.floor(ttlMs / 3)),
      maxWaitMs: opts.maxWaitMs ?? DEFAULTS.maxWaitMs,
      firstPollMs: opts.firstPollMs ?? DEFAULTS.firstPollMs,
      maxPollMs: opts.maxPollMs ?? DEFAULTS.maxPollMs,
    };
  }

  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    return this.local.run(conversationId, () => this.leased(conversationId, turn));
  }

  idle(): Promise<void> {
    return this.local.idle();
  }

  /** Turns run without a lease because Redis could not be reached. */
  get unleasedTurns(): number {
    return this.unleased;
  }

  private async leased<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    const lease = newLease(this.cluster.key('turn', conversationId), this.cluster.instanceId);
    if (!(await this.acquire(lease, conversationId))) return turn();
    const stopRenewing = this.keepRenewing(lease, conversationId);
    try {
      return await turn();
    } finally {
      stopRenewing();
      await this.release(lease, conversationId);
    }
  }

  /** Resolves true once the lease is held, false when Redis cannot be reached (run without); rejects after the longest wait. */
  private async acquire(lease: Lease, conversationId: string): Promise<boolean> {
    const deadline = Date.now() + this.opts.maxWaitMs;
    for (let pause = this.opts.firstPollMs; ; pause = Math.min(pause * 2, this.opts.maxPollMs)) {
      let taken: boolean;
      try {
        taken = await takeLease(this.cluster.redis, lease, this.opts.ttlMs);
      } catch (err) {
        this.runningUnleased(conversationId, err);
        return false;
      }
      if (taken) return this.leasing();
      const left = deadline - Date.now();
      if (left <= 0) throw new TurnLeaseError('TURN_LEASE_TIMEOUT', `conversation ${conversationId}: another instance has held its turn lease (${lease.key}) for over ${this.opts.maxWaitMs} ms; this turn did not run`);
      await sleep(Math.min(pause, left));
    }
  }

  /** Renews the lease every renewEveryMs until the returned function is called; a lease lost meanwhile is logged once. */
  private keepRenewing(lease: Lease, conversationId: string): () => void {
    let stopped = false;
    let warned = false;
    const lost = (reason: string): void => {
      if (stopped || warned) return;
      warned = true;
      this.log.warn('cluster.turn_lease_lost', { conversation: conversationId, reason, note: 'the turn goes on; another instance may run one of this conversation alongside it' });
    };
    const timer = setInterval(() => {
      renewLease(this.cluster.redis, lease, this.opts.ttlMs).then(
        (ours) => (ours ? undefined : lost('expired or taken by another instance')),
        (err: unknown) => lost(err instanceof Error ? err.message : String(err)),
      );
    }, this.opts.renewEveryMs);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  /** Gives the lease up; if that fails it expires by itself (the conversation's next turn elsewhere waits up to the ttl). */
  private async release(lease: Lease, conversationId: string): Promise<void> {
    try {
      await releaseLease(this.cluster.redis, lease);
    } catch (err) {
      this.log.warn('cluster.turn_lease_unreleased', { conversation: conversationId, err, expiresInMs: this.opts.ttlMs });
    }
  }

  private leasing(): true {
    if (this.redisAway) {
      this.redisAway = false;
      this.log.info('cluster.turn_leases_back', { unleasedTurns: this.unleased });
    }
    return true;
  }

  private runningUnleased(conversationId: string, err: unknown): void {
    this.unleased++;
    if (this.redisAway) return;
    this.redisAway = true;
    this.log.warn('cluster.turns_unleased', { conversation: conversationId, err, note: 'running turns without a cross-instance lease until Redis is back' });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
