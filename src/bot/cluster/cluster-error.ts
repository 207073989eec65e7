/**
 * Why an instance could not join the others: coded, so `tact start` names
 * it in one line. Apart from redis.ts, so the CLI can recognise it without
 * loading the Redis client.
 */
export class ClusterError extends Error {
  constructor(
    readonly code: 'REDIS_UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}
