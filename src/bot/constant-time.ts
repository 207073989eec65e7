/**
 * Comparing secrets (API and admin tokens, session and identity MACs)
 * without leaking them through timing: both sides are hashed first, so the
 * comparison takes the same time whatever the lengths and contents.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
