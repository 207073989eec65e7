/**
 * How a call stored by an instance that does not send (not the leader)
 * reaches the one that does, without that one re-reading the outbox's log
 * every second: once the call is stored, the instance pushes it on a Redis
 * list (`<prefix>slack-outbox-feed`), and the leader pops what is there
 * every second, and before it queues a call of its own, so calls keep the
 * order they were stored in. The store stays the truth: a call whose push
 * failed, or that was popped by a leader that died, is found by the next
 * replay of the outbox's log (a new leader, Redis back, the periodic sweep).
 *
 * What comes off the list crossed a boundary: each entry is checked, and
 * one that is not a call is dropped and logged.
 */
import type { Logger } from '../../log.js';
import type { Cluster } from '../../cluster/redis.js';
import type { StoredOutboxCall } from '../../store/store.js';
import type { OutboxItem } from './outbox-log.js';

export interface OutboxFeed {
  /** Hands a stored call to the sender. Rejects when it cannot (the sender finds it in the store later). */
  offer(item: OutboxItem): Promise<void>;
  /** Everything handed over since the last take, oldest first. Rejects when the feed cannot be reached. */
  take(): Promise<readonly OutboxItem[]>;
}

/** Entries popped per round trip. */
const BATCH = 100;
const METHODS: readonly StoredOutboxCall['method'][] = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'reactions.add'];

export class RedisOutboxFeed implements OutboxFeed {
  constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
  ) {}

  async offer(item: OutboxItem): Promise<void> {
    await this.cluster.redis.rpush(this.key(), JSON.stringify(item));
  }

  async take(): Promise<readonly OutboxItem[]> {
    const items: OutboxItem[] = [];
    for (;;) {
      const batch = (await this.cluster.redis.lpop(this.key(), BATCH)) ?? [];
      for (const entry of batch) {
        const item = parseItem(entry);
        if (item) items.push(item);
        else this.log.error('slack.outbox_feed_bad_entry', { key: this.key(), entry: entry.slice(0, 200) });
      }
      if (batch.length < BATCH) return items;
    }
  }

  private key(): string {
    return this.cluster.key('slack-outbox-feed');
  }
}

/** A feed entry as a call, or null when it is not one. */
export function parseItem(entry: string): OutboxItem | null {
  let value: unknown;
  try {
    value = JSON.parse(entry);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const optional = (field: unknown): boolean => field === undefined || typeof field === 'string';
  if (typeof v['id'] !== 'string' || typeof v['segment'] !== 'string' || typeof v['channel'] !== 'string') return null;
  if (!METHODS.includes(v['method'] as StoredOutboxCall['method'])) return null;
  if (typeof v['args'] !== 'object' || v['args'] === null || Array.isArray(v['args'])) return null;
  if (!optional(v['threadOf']) || !optional(v['rememberAs'])) return null;
  return {
    id: v['id'],
    segment: v['segment'],
    method: v['method'] as StoredOutboxCall['method'],
    channel: v['channel'],
    args: v['args'] as Record<string, unknown>,
    ...(typeof v['threadOf'] === 'string' ? { threadOf: v['threadOf'] } : {}),
    ...(typeof v['rememberAs'] === 'string' ? { rememberAs: v['rememberAs'] } : {}),
  };
}
