/**
 * The store's control file (data/control.json), like PostgreSQL's
 * pg_control: the sequence high-water mark, how far the log has been folded
 * into the conversation files, and the unfinished-conversation index as of
 * that fold. It is replaced whole and durably (temporary file, fsync,
 * rename, directory fsync) before any conversation file may carry a seq
 * above its mark, so after any restart new records are numbered above
 * every stored one — seq never goes backwards.
 *
 * The fold range tells a legitimate replay from corruption: a record at or
 * below its file's lastSeq is expected only in the aside log of a fold
 * recorded here (`folded`, or `folding` for a fold a crash cut short) that
 * had already written that file; anywhere else it is an error, never
 * silently skipped (see LowdbStore.keeps).
 */
import { join } from 'node:path';
import { DurableJsonFile } from './durable-file.js';
import { StoreError } from './store.js';
import type { Unfinished } from './unfinished.js';

export const CONTROL_FILE = 'control.json';

export interface Control {
  readonly version: 1;
  /** No conversation file carries a seq above this. */
  readonly highWater: number;
  /** Every record with a seq up to this is in its conversation file (the last fold that committed). */
  readonly folded: number;
  /** A fold under way covers the records up to this seq: files may hold some of them already. */
  readonly folding: number | null;
  /**
   * Records up to this seq come from a first-version data directory, whose restarts could number
   * records below a file's lastSeq: at or below lastSeq they are kept unless the file already holds
   * the same event (see LowdbStore.keeps).
   */
  readonly rescueThrough: number;
  /** Conversations with an open handoff or a pending turn, as of `folded`. */
  readonly unfinished: Readonly<Record<string, Unfinished>>;
}

export const NEW_CONTROL: Control = { version: 1, highWater: 0, folded: 0, folding: null, rescueThrough: 0, unfinished: {} };

/** The highest seq a fold may already have written into the conversation files. */
export function foldCovers(c: Control): number {
  return Math.max(c.folded, c.folding ?? 0);
}

/** The control file, or null when there is none (a new or a first-version data directory). */
export async function readControl(dataDir: string): Promise<Control | null> {
  const path = join(dataDir, CONTROL_FILE);
  const data = await new DurableJsonFile<unknown>(path).read();
  if (data === null) return null;
  if (!isControl(data)) throw new StoreError('STORE_CORRUPT', `${path} is not a control file (version, highWater, folded, folding, rescueThrough, unfinished)`);
  return data;
}

export async function writeControl(dataDir: string, c: Control): Promise<void> {
  await new DurableJsonFile<Control>(join(dataDir, CONTROL_FILE)).write(c);
}

function isControl(v: unknown): v is Control {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  const seq = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  return (
    c['version'] === 1 &&
    seq(c['highWater']) &&
    seq(c['folded']) &&
    (c['folding'] === null || seq(c['folding'])) &&
    seq(c['rescueThrough']) &&
    typeof c['unfinished'] === 'object' &&
    c['unfinished'] !== null &&
    Object.values(c['unfinished']).every(isUnfinished)
  );
}

function isUnfinished(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const u = v as Record<string, unknown>;
  return (u['handoffAt'] === null || typeof u['handoffAt'] === 'string') && Array.isArray(u['pendingTurns']) && u['pendingTurns'].every((t) => typeof t === 'string');
}
