/**
 * What a conversation's file holds, and how to tell a file that is not one:
 * shared by the store (which quarantines such a file) and `tact store check`.
 */
import type { StoredEvent } from './store.js';

export interface ConversationFile {
  readonly id: string;
  /** The seq of the last log record folded into this file. */
  lastSeq: number;
  events: StoredEvent[];
}

/** Why `data` is not the file of conversation `id`, or null when it is. */
export function wrongShape(data: unknown, id: string): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'is not a JSON object';
  const f = data as Record<string, unknown>;
  if (f['id'] !== id) return `belongs to conversation ${JSON.stringify(String(f['id']).slice(0, 70))}, not ${id}`;
  // The earliest files had no lastSeq (taken as 0).
  if (f['lastSeq'] !== undefined && (!Number.isSafeInteger(f['lastSeq']) || (f['lastSeq'] as number) < 0)) return 'has a lastSeq that is not a whole number';
  if (!Array.isArray(f['events'])) return 'has no events list';
  const bad = f['events'].findIndex((e: unknown) => typeof e !== 'object' || e === null || typeof (e as Record<string, unknown>)['kind'] !== 'string');
  return bad === -1 ? null : `has an event without a kind (events[${bad}])`;
}
