/**
 * Joins this instance to the others sharing its database (TACT_REDIS_URL):
 * connects to Redis, campaigns for leadership, and makes the cross-instance
 * delivery and turn queue. The server imports this file only when Redis is
 * configured, so one instance alone never loads the Redis client.
 */
import type { Logger } from '../log.js';
import type { Delivery } from '../pipeline/deliver.js';
import { ClusterDelivery } from './cluster-delivery.js';
import { Leader } from './leader.js';
import { LeaseTurnQueue } from './lease-turn-queue.js';
import { Online } from './online.js';
import { SharedActivity } from './agent-activity.js';
import type { ActivityBoard } from '../pipeline/presence.js';
import { SharedRateLimiter } from './shared-rate-limit.js';
import type { Limiter, RateSpec } from '../core/rate-limit.js';
import { Cluster, type ClusterConfig } from './redis.js';

export interface Joined {
  readonly cluster: Cluster;
  /** Exactly one instance leads: it runs what must happen once per deployment (reminders, SLA checks, orphaned turns). */
  readonly leader: Leader;
  /** This instance's sockets and every other instance's. */
  readonly delivery: Delivery;
  /** One turn of a conversation at a time across instances. */
  readonly queue: LeaseTurnQueue;
  /** Which customers have the chat open on some instance. */
  readonly online: Online;
  /** Agents' recent activity, as every instance sees it. */
  readonly activity: ActivityBoard;
  /** A rate limit counted across instances. */
  limiter(name: string, spec: RateSpec): Limiter;
  /** Tells the other instances the KB was edited here, so they load it too. */
  kbEdited(): void;
  close(): Promise<void>;
}

export interface JoinOptions {
  /** This instance's own delivery (its sockets). */
  readonly local: Delivery;
  /** The sessions with a socket here. */
  readonly listeners: () => readonly string[];
  /** Loads the KB again: another instance says it was edited. */
  readonly reloadKb: () => void;
}

export async function joinCluster(config: ClusterConfig, { local, listeners, reloadKb }: JoinOptions, log: Logger): Promise<Joined> {
  const cluster = await Cluster.connect(config, log);
  try {
    // The KB folder is shared by every instance (see the README): an edit saved through one is loaded by all.
    const kbChannel = cluster.key('kb-edited');
    await cluster.subscribe(kbChannel, (from) => (from === cluster.instanceId ? undefined : reloadKb()));
    const kbEdited = (): void => void cluster.redis.publish(kbChannel, cluster.instanceId).catch((err: unknown) => log.warn('cluster.kb_news_failed', { err }));
    const leader = await Leader.start(cluster, log);
    const delivery = await ClusterDelivery.start(cluster, local, log);
    const online = new Online(cluster, listeners, log);
    await online.start();
    const close = async (): Promise<void> => {
      online.stop();
      await leader.close();
      await cluster.close();
    };
    const limiter = (name: string, spec: RateSpec): Limiter => new SharedRateLimiter(cluster, name, spec, log);
    return { cluster, leader, delivery, queue: new LeaseTurnQueue(cluster, log), online, activity: new SharedActivity(cluster, log), limiter, kbEdited, close };
  } catch (err) {
    await cluster.close();
    throw err;
  }
}
