/**
 * Writes a backup file (backup-format.ts) from a snapshot of either store
 * (lowdb-snapshot.ts, pg-snapshot.ts). Never half a file: everything goes
 * to FILE.<random>.tmp (the owner's only, created exclusively: it holds
 * customers' conversations and the session secret), which is fsynced and
 * only then linked to FILE, and the directory fsynced; a failure leaves no
 * FILE and no temporary file, a kill at most FILE.<random>.tmp. The trailer's counts are those written, and
 * must be the snapshot's, else nothing is kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BackupError, describeBackupCounts, endLine, eventLine, fileLine, headerLine, sameBackupCounts, secretLine, type BackupCounts, type BackupFile, type BackupSource } from './backup-format.js';
import { syncDir } from './durable-file.js';
import { storeFs } from './store-fs.js';
import type { StoredEvent } from './store.js';

/** What a store holds at one moment, read back by the writer once. */
export interface Snapshot {
  readonly source: BackupSource;
  /** What the conversations and files below add up to (the header's counts). */
  readonly counts: BackupCounts;
  conversations(): AsyncIterable<{ readonly id: string; readonly events: readonly StoredEvent[] }>;
  files(): AsyncIterable<BackupFile>;
  /** The data directory's session secret, or null (none there, or a database: TACT_SESSION_SECRET is configuration). */
  readonly secret: string | null;
}

export interface WrittenBackup {
  readonly counts: BackupCounts;
  /** Of the file as written: `sha256sum FILE` prints the same. */
  readonly sha256: string;
  /** The file's size on disk (compressed). */
  readonly bytes: number;
}

/**
 * Writes `snapshot` to `out`, which must not exist (BACKUP_EXISTS: a backup is never overwritten).
 *
 * @example
 *   const written = await writeBackup('/backups/tact-2026-12-06.tact.gz', await snapshotDataDir('/var/lib/tact'));
 */
export async function writeBackup(out: string, snapshot: Snapshot, now = new Date()): Promise<WrittenBackup> {
  if (await exists(out)) throw new BackupError('BACKUP_EXISTS', `${out} already exists; a backup never overwrites a file (remove it or name another)`);
  // A name nobody can guess, created exclusively (never an existing file or a symlink someone placed in a shared folder).
  const temp = `${out}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  let written: BackupCounts | null = null;
  async function* lines(): AsyncGenerator<Buffer> {
    const take = (text: string): Buffer => {
      const b = Buffer.from(text);
      hash.update(b);
      return b;
    };
    yield take(headerLine(snapshot.source, snapshot.counts, now));
    const counts = { conversations: 0, events: 0, messages: 0, files: 0 };
    for await (const { id, events } of snapshot.conversations()) {
      if (events.length === 0) continue;
      counts.conversations++;
      counts.events += events.length;
      counts.messages += events.filter((e) => e.kind === 'message').length;
      yield take(events.map((e) => eventLine(id, e)).join(''));
    }
    for await (const file of snapshot.files()) {
      counts.files++;
      yield take(fileLine(file));
    }
    if (snapshot.secret !== null) yield take(secretLine(snapshot.secret));
    if (!sameBackupCounts(counts, snapshot.counts)) {
      throw new BackupError('BACKUP_SOURCE', `the store changed under the snapshot: it counted ${describeBackupCounts(snapshot.counts)}, then held ${describeBackupCounts(counts)}; nothing was written`);
    }
    written = counts;
    yield Buffer.from(endLine(counts, hash.digest('hex')));
  }
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(temp, { mode: 0o600, flags: 'wx' }));
    await chmod(temp, 0o600);
    await fsyncFile(temp);
    // link, not rename: a FILE that appeared meanwhile is refused (EEXIST), never replaced.
    await link(temp, out).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EEXIST' ? new BackupError('BACKUP_EXISTS', `${out} appeared while the backup was written; it was left as it is`) : err;
    });
    await unlink(temp);
    await syncDir(dirname(out));
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  return { counts: written ?? snapshot.counts, sha256: await fileSha256(out), bytes: (await stat(out)).size };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

async function fsyncFile(path: string): Promise<void> {
  const fd = await storeFs.open(path, 'r+');
  try {
    await storeFs.fsync(fd);
  } finally {
    await storeFs.close(fd);
  }
}

/** The SHA-256 of the file as written (compressed, what `sha256sum` prints), so an operator can check a copy of it elsewhere. */
async function fileSha256(path: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(path)) digest.update(chunk as Buffer);
  return digest.digest('hex');
}
