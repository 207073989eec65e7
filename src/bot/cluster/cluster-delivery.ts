/**
 * Delivery across instances. A customer's tabs may be connected to
 * different instances behind the load balancer, and a turn runs on
 * whichever instance took the message; so each item is delivered to this
 * instance's own connections at once, and published on one channel that
 * every instance listens to, which delivers items from the others to its
 * own connections. Redis pub/sub keeps one publisher's messages in order, so
 * a customer sees one conversation's items once each, in the order sent.
 *
 * Publishing is fire-and-forget, like the rest of the Delivery port. While
 * Redis is away nothing is published (logged once per outage, counted) and
 * local delivery goes on: everything that matters is in the store, and a
 * widget on another instance gets what it missed when it reconnects (its
 * hello asks for the messages after its last seq). What arrives on the
 * channel is checked before any socket sees it (delivery-envelope.ts); a
 * message that does not fit is logged and dropped.
 */
import type { Logger } from '../log.js';
import type { Delivered, Delivery } from '../pipeline/deliver.js';
import { openEnvelope, sealEnvelope } from './delivery-envelope.js';
import type { Cluster } from './redis.js';

export interface DeliveryCounts {
  /** Items published for the other instances. */
  readonly published: number;
  /** Items not published because Redis could not take them (delivered here only). */
  readonly unpublished: number;
  /** Items from other instances delivered here. */
  readonly received: number;
  /** Channel messages dropped because they did not fit. */
  readonly refused: number;
}

/**
 * @example
 *   const delivery = await ClusterDelivery.start(cluster, chatSockets, log);
 *   const outlet = new Outlet(sessions, delivery, now);
 */
export class ClusterDelivery implements Delivery {
  private counts = { published: 0, unpublished: 0, received: 0, refused: 0 };
  /** Set while publishing fails, so an outage is logged once, not once per item. */
  private failing = false;
  private readonly channel: string;

  private constructor(
    private readonly cluster: Cluster,
    private readonly local: Delivery,
    private readonly log: Logger,
  ) {
    this.channel = cluster.key('deliver');
  }

  /** Listens on the delivery channel, then resolves with the Delivery to hand the pipeline. Rejects when Redis cannot be reached. */
  static async start(cluster: Cluster, local: Delivery, log: Logger): Promise<ClusterDelivery> {
    const delivery = new ClusterDelivery(cluster, local, log);
    await cluster.subscribe(delivery.channel, (message) => delivery.receive(message));
    return delivery;
  }

  send(conversationId: string, item: Delivered, origin?: string): void {
    this.local.send(conversationId, item, origin);
    const sealed = sealEnvelope({ from: this.cluster.instanceId, conversationId, item, ...(origin !== undefined ? { origin } : {}) });
    this.cluster.redis.publish(this.channel, sealed).then(
      () => this.published(),
      (err: unknown) => this.unpublished(err),
    );
  }

  get stats(): DeliveryCounts {
    return { ...this.counts };
  }

  private receive(message: string): void {
    const opened = openEnvelope(message);
    if (!opened.ok) {
      this.counts.refused++;
      this.log.warn('cluster.delivery_refused', { problem: opened.problem, chars: message.length });
      return;
    }
    const { from, conversationId, item, origin } = opened.envelope;
    if (from === this.cluster.instanceId) return;
    this.counts.received++;
    try {
      this.local.send(conversationId, item, origin);
    } catch (err) {
      // The port never throws; if one ever does, it must not take the listener connection (and the process) down with it.
      this.log.error('cluster.delivery_failed', { conversation: conversationId, err });
    }
  }

  private published(): void {
    this.counts.published++;
    if (!this.failing) return;
    this.failing = false;
    this.log.info('cluster.delivery_publishing_again', { unpublished: this.counts.unpublished });
  }

  private unpublished(err: unknown): void {
    this.counts.unpublished++;
    if (this.failing) return;
    this.failing = true;
    this.log.error('cluster.delivery_unpublished', { err, note: 'delivering to this instance only until Redis is back; other instances catch up when their widgets reconnect' });
  }
}
