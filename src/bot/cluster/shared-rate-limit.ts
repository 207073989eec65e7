/**
 * Rate limits counted across instances. Behind a load balancer each
 * instance sees only part of one address's traffic, so per-instance buckets
 * would let N instances allow N times the limit. Here each key's token
 * bucket lives in Redis, refilled and taken from in one Lua step (no two
 * instances can both take the last token), with the same arithmetic as the
 * in-memory RateLimiter, so the two answer alike. A bucket expires when it
 * would be full again, which is the same as no bucket: Redis holds only keys
 * that are being limited.
 *
 * The clock is Redis's own (TIME), one for every instance, unless a `now`
 * is given (tests). While Redis cannot be reached, this instance counts in
 * its own memory (a RateLimiter with the same spec) rather than letting
 * everything through or refusing everyone; the outage is logged once.
 */
import type { Logger } from '../log.js';
import { RateLimiter, type Limiter, type RateSpec, type Verdict } from '../core/rate-limit.js';
import { LuaScript } from './lua.js';
import type { Cluster } from './redis.js';

export interface SharedLimiterOptions {
  /** Milliseconds; default Redis's own clock. */
  readonly now?: () => number;
}

/**
 * KEYS[1] the bucket (a hash: tokens, at). ARGV: burst, perMinute, take (1|0),
 * now in ms ('' for Redis's clock). Replies {1, 0} allowed, or {0, ms until one}.
 * Numbers are stored with %.17g, so a bucket reads back exactly as written.
 */
const BUCKET = new LuaScript(`
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 60000
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(saved[1]), tonumber(saved[2])
if not tokens or not at then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
at = math.max(now, at)
if tokens < 1 - 1e-9 then
  return {0, math.max(1, math.ceil((1 - tokens) / perMs))}
end
if ARGV[3] == '1' then
  tokens = tokens - 1
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1)
end
return {1, 0}`);

/**
 * @example
 *   const hellos = new SharedRateLimiter(cluster, 'new-sessions', { burst: 20, perMinute: 6 }, log);
 *   const v = await hellos.take('203.0.113.9');
 *   if (!v.ok) refuse(retryAfterSeconds(v.retryAfterMs));
 */
export class SharedRateLimiter implements Limiter {
  /** Counts while Redis is away. */
  private readonly alone: RateLimiter;
  private redisAway = false;

  constructor(
    private readonly cluster: Cluster,
    /** Names the limit in Redis, so limits with different specs never share a bucket. */
    private readonly name: string,
    readonly spec: RateSpec,
    private readonly log: Logger,
    private readonly opts: SharedLimiterOptions = {},
  ) {
    // The same checks, and the same fallback: a bad spec fails here, not in Lua.
    this.alone = new RateLimiter(spec, opts.now ? { now: opts.now } : {});
  }

  async take(key: string): Promise<Verdict> {
    try {
      return this.shared(await this.bucket(key, true));
    } catch (err) {
      this.away(err);
      return this.alone.take(key);
    }
  }

  async wait(key: string): Promise<number> {
    try {
      const verdict = this.shared(await this.bucket(key, false));
      return verdict.ok ? 0 : verdict.retryAfterMs;
    } catch (err) {
      this.away(err);
      return this.alone.wait(key);
    }
  }

  async reset(key: string): Promise<void> {
    this.alone.reset(key);
    try {
      await this.cluster.redis.del(this.keyOf(key));
    } catch (err) {
      this.away(err);
    }
  }

  private async bucket(key: string, take: boolean): Promise<Verdict> {
    const reply = await BUCKET.run(this.cluster.redis, [this.keyOf(key)], [this.spec.burst, this.spec.perMinute, take ? 1 : 0, this.opts.now ? this.opts.now() : '']);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') throw new Error(`shared-rate-limit.ts: the bucket script replied ${JSON.stringify(reply)}, not [allowed, waitMs]`);
    return reply[0] === 1 ? { ok: true } : { ok: false, retryAfterMs: reply[1] };
  }

  private keyOf(key: string): string {
    return this.cluster.key('rate', this.name, key);
  }

  /** A verdict from Redis: also the sign that an outage is over. */
  private shared(verdict: Verdict): Verdict {
    if (this.redisAway) {
      this.redisAway = false;
      this.log.info('cluster.rate_limit_shared_again', { limit: this.name });
    }
    return verdict;
  }

  private away(err: unknown): void {
    if (this.redisAway) return;
    this.redisAway = true;
    this.log.warn('cluster.rate_limit_alone', { limit: this.name, err, note: 'counting on this instance only until Redis is back' });
  }
}
