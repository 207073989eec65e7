/** Polls until `find` returns something (no fixed sleeps in tests); fails naming what it waited for, with `context` for the reader. */
export async function until<T>(what: string, find: () => T | undefined | false | null, timeoutMs = 8000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${context() ? `; ${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
