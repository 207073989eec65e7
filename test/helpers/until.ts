/** Polls until `find` returns something (no fixed sleeps in tests); fails naming what it waited for, with `context` for the reader. */
export async function until<T>(what: string, find: () => T | undefined | false | null, timeoutMs = 8000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    // A promise is always truthy: an async `find` would pass at once, whatever it would have said.
    if (found instanceof Promise) throw new TypeError(`until(${JSON.stringify(what)}) was given an async check; it polls synchronous ones only`);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${context() ? `; ${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
