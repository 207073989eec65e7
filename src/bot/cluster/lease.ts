/**
 * A lease: a Redis key that one holder at a time owns for a while. Whoever
 * SETs it first (NX) with a token only it knows holds it until it releases
 * it or the time (PX) runs out; it keeps it longer by renewing before then.
 * Renewing and releasing check the token in one Lua step, so a holder that
 * was too slow (its lease expired and someone else took the key) can never
 * extend or delete the new holder's lease. A holder that dies simply stops
 * renewing, and its lease expires by itself.
 *
 * The turn queue (one turn of a conversation at a time) and the leader (one
 * instance at a time) are both built on this.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from './lua.js';

export interface Lease {
  readonly key: string;
  /** Unique per attempt: the holder's instance id and a random part. */
  readonly token: string;
}

const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/** A lease on `key` for this instance, not taken yet. */
export function newLease(key: string, instanceId: string): Lease {
  return { key, token: `${instanceId}:${randomBytes(8).toString('hex')}` };
}

/** Takes the lease for `ttlMs` if nobody holds it; false when someone does. Rejects when Redis cannot be reached. */
export async function takeLease(redis: Redis, lease: Lease, ttlMs: number): Promise<boolean> {
  return (await redis.set(lease.key, lease.token, 'PX', ttlMs, 'NX')) === 'OK';
}

/** Makes the lease run `ttlMs` from now if it is still ours; false when it is not (expired, taken by another). */
export async function renewLease(redis: Redis, lease: Lease, ttlMs: number): Promise<boolean> {
  return (await RENEW.run(redis, [lease.key], [lease.token, ttlMs])) === 1;
}

/** Gives the lease up if it is still ours; false when it was not (nothing deleted). */
export async function releaseLease(redis: Redis, lease: Lease): Promise<boolean> {
  return (await RELEASE.run(redis, [lease.key], [lease.token])) === 1;
}
