/**
 * A Lua script run on Redis: what makes a read-then-write step (release a
 * lease only if it is still ours, take a token from a shared bucket) one
 * atomic step that no other instance can come between. Sent by its SHA1
 * (EVALSHA) and, when the server does not know it yet (first use, after a
 * restart or SCRIPT FLUSH), once in full (EVAL), which also loads it.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * @example
 *   const release = new LuaScript('if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0');
 *   await release.run(cluster.redis, [key], [token]);
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** The script's reply, unchecked: each caller turns it into its own type. */
  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
