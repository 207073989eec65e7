/**
 * Which customers have the chat open on some instance. A queue reminder is
 * said only to a customer who is there to read it (one who left is not
 * reloaded into memory every interval to be told), and with several
 * instances the leader that says it may not be the one holding the socket.
 *
 * Each instance writes the sessions it has sockets for into one sorted set
 * every few seconds, each scored with when that claim runs out; a session is
 * online while some instance's claim has not. An instance that dies stops
 * renewing, and its claims run out by themselves.
 */
import type { Logger } from '../log.js';
import type { Cluster } from './redis.js';

/** How often an instance renews its claims, and how long a claim lasts. */
const RENEW_MS = 5000;
const CLAIM_MS = 15_000;

export class Online {
  private timer: NodeJS.Timeout | null = null;
  private readonly key: string;

  constructor(
    private readonly cluster: Cluster,
    /** The sessions with a socket on this instance now. */
    private readonly here: () => readonly string[],
    private readonly log: Logger,
  ) {
    this.key = cluster.key('online');
  }

  /** Claims this instance's sessions now and every few seconds. */
  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(() => void this.renew().catch((err: unknown) => this.log.warn('cluster.online_failed', { err })), RENEW_MS);
    this.timer.unref();
  }

  /** Whether the session has a socket on this or another instance; when Redis cannot say, only this instance counts. */
  async has(sessionId: string, hereNow: boolean): Promise<boolean> {
    if (hereNow) return true;
    try {
      const until = await this.cluster.redis.zscore(this.key, sessionId);
      return until !== null && Number(until) > Date.now();
    } catch {
      return false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async renew(): Promise<void> {
    const now = Date.now();
    const ids = this.here();
    const batch = this.cluster.redis.multi().zremrangebyscore(this.key, '-inf', now);
    if (ids.length > 0) batch.zadd(this.key, ...ids.flatMap((id) => [now + CLAIM_MS, id]));
    await batch.exec();
  }
}
