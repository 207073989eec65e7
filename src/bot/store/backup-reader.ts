/**
 * Reads a backup file (backup-format.ts) as a stream, checking it as it
 * goes, and hands each conversation (its events together), file and secret
 * to the restore, which keeps them aside until the whole file is verified:
 * the header this version reads, every line within MAX_LINE_BYTES and
 * valid, each conversation in one place, the trailer present, the SHA-256
 * of every byte before it and the counts the trailer and the header state.
 * Any failure rejects with a coded BackupError naming the file and line;
 * the restore then discards what it kept aside.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { BackupError, corrupt, describeBackupCounts, MAX_LINE_BYTES, parseHeader, parseLine, sameBackupCounts, type BackupCounts, type BackupFile, type BackupHeader } from './backup-format.js';
import type { StoredEvent } from './store.js';

export type BackupItem =
  | { readonly kind: 'conversation'; readonly id: string; readonly events: readonly StoredEvent[] }
  | { readonly kind: 'file'; readonly file: BackupFile }
  | { readonly kind: 'secret'; readonly value: string };

/**
 * Reads `path`, calling `take` for each item in file order; resolves with
 * the header once the trailer has verified everything before it.
 *
 * @example
 *   const header = await readBackup('backup.tact.gz', async (item) => { if (item.kind === 'conversation') staged.set(item.id, item.events); });
 */
export async function readBackup(path: string, take: (item: BackupItem) => Promise<void>): Promise<BackupHeader> {
  const hash = createHash('sha256');
  const counts = { conversations: 0, events: 0, messages: 0, files: 0 };
  const seen = new Set<string>();
  let header: BackupHeader | null = null;
  let end: { readonly counts: BackupCounts; readonly sha256: string } | null = null;
  // The conversation being read: its events are handed on together once the next line is another's.
  const current: { id: string | null; events: StoredEvent[]; lastSeq: number } = { id: null, events: [], lastSeq: 0 };
  const flush = async (): Promise<void> => {
    if (current.id !== null) await take({ kind: 'conversation', id: current.id, events: current.events });
    current.id = null;
    current.events = [];
    current.lastSeq = 0;
  };
  for await (const { bytes, n } of lines(path)) {
    const where = `${path}:${n}`;
    if (end) throw corrupt(where, 'there is more after the trailer');
    const text = bytes.toString('utf8');
    if (!header) {
      header = parseHeader(text, path);
      hashLine(hash, bytes);
      continue;
    }
    const line = parseLine(text, where);
    if (line.t === 'end') {
      end = line;
      continue;
    }
    hashLine(hash, bytes);
    switch (line.t) {
      case 'event':
        if (current.id !== line.c) {
          await flush();
          if (seen.has(line.c)) throw corrupt(where, `conversation ${line.c} appears in two places`);
          seen.add(line.c);
          counts.conversations++;
          current.id = line.c;
        }
        if (line.e.kind === 'message') {
          // Numbered as every reader numbers them (store.ts numberedMessages): a number given twice or going back would confuse the widget.
          const seq = line.e.seq ?? current.lastSeq + 1;
          if (seq <= current.lastSeq) throw corrupt(where, `conversation ${line.c}'s message number ${seq} does not follow ${current.lastSeq}`);
          current.lastSeq = seq;
          counts.messages++;
        }
        current.events.push(line.e);
        counts.events++;
        break;
      case 'file':
        await flush();
        counts.files++;
        await take({ kind: 'file', file: line.file });
        break;
      case 'secret':
        await flush();
        await take({ kind: 'secret', value: line.value });
        break;
    }
  }
  await flush();
  if (!header) throw new BackupError('RESTORE_NOT_A_BACKUP', `${path} is empty; it is not a Tact backup`);
  if (!end) throw truncated(path, 'it ends before its trailer');
  const { counts: stated, sha256 } = end as { readonly counts: BackupCounts; readonly sha256: string };
  if (hash.digest('hex') !== sha256) throw corrupt(path, 'its SHA-256 does not match the trailer (the file was changed or damaged)');
  if (!sameBackupCounts(counts, stated) || !sameBackupCounts(counts, header.counts)) {
    throw corrupt(path, `it holds ${describeBackupCounts(counts)}, but its header says ${describeBackupCounts(header.counts)} and its trailer ${describeBackupCounts(stated)}`);
  }
  return header;
}

function hashLine(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  hash.update(bytes);
  hash.update('\n');
}

function truncated(path: string, why: string): BackupError {
  return new BackupError('RESTORE_TRUNCATED', `${path} is cut short (${why}); nothing was restored (copy the whole file again)`);
}

/** The file's lines after gunzip (without their newline, numbered from 1); a line longer than MAX_LINE_BYTES is refused before it is held whole. */
async function* lines(path: string): AsyncGenerator<{ readonly bytes: Buffer; readonly n: number }> {
  const input = createReadStream(path);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  let parts: Buffer[] = [];
  let length = 0;
  let n = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      for (let start = 0; start < chunk.length; ) {
        const nl = chunk.indexOf(0x0a, start);
        const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
        length += piece.length;
        if (length > MAX_LINE_BYTES) throw new BackupError('RESTORE_LINE_TOO_LONG', `${path}:${n + 1}: a line is longer than ${MAX_LINE_BYTES / (1024 * 1024)} MB (no backup line is); nothing was restored`);
        parts.push(piece);
        if (nl === -1) break;
        n++;
        yield { bytes: Buffer.concat(parts, length), n };
        parts = [];
        length = 0;
        start = nl + 1;
      }
    }
  } catch (err) {
    throw readFailure(path, err, n);
  } finally {
    input.destroy();
  }
  if (length > 0) throw truncated(path, `its last line, ${n + 1}, has no end`);
}

/** What went wrong reading the file, as a coded error (a BackupError from the checks passes through). */
function readFailure(path: string, err: unknown, linesRead: number): unknown {
  if (err instanceof BackupError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return new BackupError('RESTORE_NOT_A_BACKUP', `${path} cannot be read (${code})`);
  if (code === 'Z_BUF_ERROR') return truncated(path, 'the compressed stream ends early');
  if (code === 'Z_DATA_ERROR' && linesRead === 0) return new BackupError('RESTORE_NOT_A_BACKUP', `${path} is not a Tact backup (not gzip-compressed)`);
  if (code === 'Z_DATA_ERROR') return corrupt(`${path}:${linesRead + 1}`, 'the compressed stream is damaged');
  return err;
}
