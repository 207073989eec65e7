/**
 * One keyed rate limiter for every abuse limit (new chat sessions and
 * handoffs per address and per session, wrong admin tokens per address):
 * a token bucket per key — `burst` at once, then `perMinute` sustained —
 * pure apart from the clock it is given.
 *
 * Memory is bounded whatever the traffic: a bucket that has filled up again
 * is the same as no bucket, so it is forgotten, and past `maxKeys` the least
 * recently used key is forgotten too (that key starts afresh, which only
 * ever makes the limiter more lenient, never lets one key starve others).
 */

export interface RateSpec {
  /** Takes allowed at once from a fresh key. */
  readonly burst: number;
  /** Takes allowed per minute after the burst (fractions allowed: 0.5 is one every two minutes). */
  readonly perMinute: number;
}

/** A take allowed, or refused with how long until the next one would be allowed. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** A value at once or later (as grammY's storage adapters answer): `await` takes either. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What every keyed limiter does, wherever it counts: this process's token
 * buckets (RateLimiter, which answers at once) or buckets shared by every
 * instance in Redis (cluster/shared-rate-limit.ts, which answers after a
 * round trip). A caller that may be given either awaits each answer.
 */
export interface Limiter {
  readonly spec: RateSpec;
  /** Takes one from the key's bucket, or says how long until it could. */
  take(key: string): MaybePromise<Verdict>;
  /** Milliseconds until the key could take one (0: it can now), without taking. */
  wait(key: string): MaybePromise<number>;
  /** Forgets a key: its next take starts with a full burst. */
  reset(key: string): MaybePromise<void>;
}

export interface LimiterOptions {
  /** Keys kept at most; default 10,000. */
  readonly maxKeys?: number;
  /** Milliseconds; default Date.now. */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Stale keys looked at (and dropped when full again) on each take: cleanup costs O(1) per call. */
const EXPIRE_PER_TAKE = 2;
/** Refills are sums of small fractions; rounding must not cost a take that the rate allows. */
const EPSILON = 1e-9;

/**
 * Token buckets by key.
 * @example
 *   const hellos = new RateLimiter({ burst: 20, perMinute: 6 });
 *   const v = hellos.take('203.0.113.9');
 *   if (!v.ok) refuse(Math.ceil(v.retryAfterMs / 1000));
 */
export class RateLimiter implements Limiter {
  /** In least-recently-used order: a touched key is moved to the end. */
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly perMs: number;

  constructor(
    readonly spec: RateSpec,
    opts: LimiterOptions = {},
  ) {
    if (!(spec.burst >= 1) || !(spec.perMinute > 0)) throw new RangeError(`a rate limit needs burst ≥ 1 and perMinute > 0 (got ${spec.burst}, ${spec.perMinute})`);
    this.maxKeys = opts.maxKeys ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.perMs = spec.perMinute / 60_000;
  }

  /** Takes one from the key's bucket, or says how long until it could. */
  take(key: string): Verdict {
    const t = this.now();
    this.expire(t);
    const bucket = this.refilled(key, t);
    if (bucket.tokens < 1 - EPSILON) return { ok: false, retryAfterMs: this.untilOne(bucket) };
    bucket.tokens -= 1;
    this.keep(key, bucket);
    return { ok: true };
  }

  /** Milliseconds until the key could take one (0: it can now), without taking. */
  wait(key: string): number {
    const bucket = this.refilled(key, this.now());
    return bucket.tokens >= 1 - EPSILON ? 0 : this.untilOne(bucket);
  }

  /** Forgets a key: its next take starts with a full burst. */
  reset(key: string): void {
    this.buckets.delete(key);
  }

  /** Keys held (for tests and memory checks). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, t: number): Bucket {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.spec.burst, at: t };
    // A clock that steps back refills nothing rather than taking tokens away.
    return { tokens: Math.min(this.spec.burst, b.tokens + Math.max(0, t - b.at) * this.perMs), at: Math.max(t, b.at) };
  }

  private untilOne(b: Bucket): number {
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs));
  }

  private keep(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) this.dropOldest();
  }

  /** Drops the least recently used keys whose bucket is full again: they hold nothing worth keeping. */
  private expire(t: number): void {
    let looked = 0;
    for (const [key, b] of this.buckets) {
      if (looked++ >= EXPIRE_PER_TAKE) return;
      if (b.tokens + Math.max(0, t - b.at) * this.perMs < this.spec.burst) return;
      this.buckets.delete(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}

/** Whole seconds for a Retry-After header or a retry hint (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
