/**
 * Reading HTTP requests safely, for the API and the admin pages alike: a
 * body is refused (with the caller's own error) as soon as it is larger
 * than its cap, whether it says so up front or not; a Bearer token is read
 * from the Authorization header.
 */
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The token of an `Authorization: Bearer …` header, or null without one. */
export function bearerToken(req: IncomingMessage): string | null {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
}
