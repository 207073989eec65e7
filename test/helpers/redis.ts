/**
 * Redis for the cluster tests: the real server at $TACT_TEST_REDIS_URL
 * (default redis://127.0.0.1:6379), never a mock, since leases and pub/sub
 * are only as good as Redis's own behaviour. Each test file takes a fresh
 * key prefix (tact-test-<random>:), joins as many "instances" (one Cluster
 * each) as it needs, and `cleanup` closes them and deletes every key under
 * the prefix. A server that cannot be reached fails the tests with a
 * message saying so: CI has one, so they never skip.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Cluster } from '../../src/bot/cluster/redis.js';
import { createLogger, type Logger } from '../../src/bot/log.js';

export const TEST_REDIS_URL = process.env['TACT_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';

export interface TestRedis {
  /** Every key and channel of this harness starts with it. */
  readonly prefix: string;
  /** A new "instance": its own Cluster on the harness's prefix (through `url`, e.g. a proxy, if given). */
  join(opts?: { readonly log?: Logger; readonly url?: string }): Promise<Cluster>;
  /** A plain connection to the test server (closed by cleanup), for reading and planting keys. */
  raw(): Redis;
  /** Closes every Cluster and connection opened here, then deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

export function testRedis(): TestRedis {
  const prefix = `tact-test-${randomBytes(6).toString('hex')}:`;
  const clusters: Cluster[] = [];
  let direct: Redis | null = null;
  const raw = (): Redis => (direct ??= new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }));
  return {
    prefix,
    async join(opts = {}) {
      const cluster = await connect(opts.url ?? TEST_REDIS_URL, prefix, opts.log ?? capturedLog().log);
      clusters.push(cluster);
      return cluster;
    },
    raw,
    async cleanup() {
      await Promise.allSettled(clusters.splice(0).map((c) => c.close()));
      await deleteUnder(raw(), prefix);
      await direct?.quit();
      direct = null;
    },
  };
}

async function connect(url: string, prefix: string, log: Logger): Promise<Cluster> {
  try {
    return await Cluster.connect({ url, prefix }, log);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${why}: the cluster tests need Redis (set TACT_TEST_REDIS_URL, or start the server)`);
  }
}

/** SCAN (never KEYS, which blocks the server) for the prefix's keys, deleting each page as it comes. */
async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A logger that keeps its lines, for asserting on what was logged (and how often). */
export function capturedLog(): { readonly log: Logger; events(): string[]; lines(): Record<string, unknown>[] } {
  const out: string[] = [];
  const lines = (): Record<string, unknown>[] => out.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log: createLogger('debug', (l) => out.push(l)), lines, events: () => lines().map((l) => String(l['event'])) };
}
