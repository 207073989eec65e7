/**
 * Polls until `find` returns something (no fixed sleeps in tests); fails naming what it waited for, with `context` for the reader.
 * An async `find` is awaited each time (a promise itself is truthy, and would pass at once).
 */
export async function until<T>(what: string, find: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeoutMs = 8000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${context() ? `; ${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
