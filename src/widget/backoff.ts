/**
 * How long to wait before a reconnect attempt: doubling from half a second,
 * capped at 30 s, with jitter in the upper half so a restarted server is not
 * met by every open widget in the same instant.
 */
export const BACKOFF = { firstMs: 500, capMs: 30_000 } as const;

/**
 * The delay before retry number `attempt` (0 for the first).
 * @example backoffDelay(0) // between 250 and 500 ms
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.firstMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * The delay before retry `attempt` when the server said how long to stay away (TOO_MANY_SESSIONS' retryAfter,
 * in seconds): never sooner than asked, plus up to a quarter more so refused widgets spread out.
 * @example reconnectDelay(0, 30) // between 30 and 37.5 s
 */
export function reconnectDelay(attempt: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  const backoff = backoffDelay(attempt, random);
  if (retryAfterSeconds === undefined) return backoff;
  const asked = retryAfterSeconds * 1000;
  return Math.max(backoff, asked + (random() * asked) / 4);
}
