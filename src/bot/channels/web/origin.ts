/**
 * Which pages may use the chat (its socket and its file routes): those on
 * TACT_ALLOWED_ORIGINS, and pages served by this server itself. Only
 * browsers send Origin, and a browser always does; other clients could
 * claim any origin anyway, so a request without one is let through (its
 * session token is what it must prove).
 */
import type { IncomingMessage } from 'node:http';

export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
