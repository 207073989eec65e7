/**
 * What a restore reports, and the check both restores end with before they
 * commit (rename the staged directory into place, or COMMIT): the restored
 * store, read back through its own code, holds every conversation of the
 * backup with the same events, messages and last message number, no other,
 * and every file. Otherwise RESTORE_UNVERIFIED names what differs and
 * nothing is kept.
 */
import { BackupError, type BackupCounts, type BackupHeader } from './backup-format.js';
import { describeCounts, sameCounts, type ConversationCounts } from './pg-import.js';

export interface RestoreReport {
  readonly header: BackupHeader;
  /** What the restored store holds (the header's counts, verified). */
  readonly counts: BackupCounts;
  /** The data directory's session secret: restored, none in the backup, or left out (a database keeps none: TACT_SESSION_SECRET). */
  readonly secret: 'restored' | 'none' | 'not-restored';
}

/**
 * Throws RESTORE_UNVERIFIED unless `restored` (counts read back from the
 * target) has exactly the conversations of `expected` with their counts,
 * and as many files read back as the backup holds.
 */
export function verifyRestored(target: string, expected: ReadonlyMap<string, ConversationCounts>, restored: ReadonlyMap<string, ConversationCounts>, files: { readonly expected: number; readonly restored: number }): void {
  const lines: string[] = [];
  for (const [id, want] of expected) {
    const have = restored.get(id);
    if (!have) lines.push(`conversation ${id} is missing`);
    else if (!sameCounts(have, want)) lines.push(`conversation ${id} has ${describeCounts(have)}, the backup ${describeCounts(want)}`);
  }
  for (const id of restored.keys()) if (!expected.has(id)) lines.push(`conversation ${id} is not in the backup`);
  if (files.restored !== files.expected) lines.push(`${files.restored} files read back of the backup's ${files.expected}`);
  if (lines.length === 0) return;
  const shown = lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : '');
  throw new BackupError('RESTORE_UNVERIFIED', `${target} did not read back as the backup (${shown}); nothing was restored`);
}
