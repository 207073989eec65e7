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
