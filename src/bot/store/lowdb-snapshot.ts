/**
 * A consistent snapshot of a data directory while a server appends to it,
 * for `tact backup`. The server holds the directory's lock for its whole
 * life, so a backup cannot open the store (nor should it stop appends);
 * it reads the store's files without the lock, and makes the read
 * consistent by how the store moves records between them:
 *
 * - a record is appended to wal.log (in seq order) and stays there until a
 *   fold; the fold first renames wal.log to wal.folding.log (a new wal.log
 *   takes its place: the rotation), writes the records into the
 *   conversation files (each replaced whole by a rename, recording the last
 *   seq it holds), commits control.json (`folded` grows) and only then
 *   deletes wal.folding.log. So at every instant each durable record is in
 *   wal.log, in wal.folding.log, or in its conversation file, and nothing
 *   but a rotation moves one out of wal.log.
 * - The snapshot notes wal.log's identity (its inode) and control.json's
 *   `folded`, reads wal.folding.log, then wal.log (checking it is the same
 *   file), then every conversation file, then notes both again. If neither
 *   changed, no rotation happened during the read: every record durable when
 *   wal.log was read is in what was read (an earlier one in a file or the
 *   folding log, which no fold removes before its file holds it), and no
 *   file holds a record that was not yet in the log then. The result is the
 *   store exactly as of that moment, across every conversation; records in
 *   both a file and a log (a fold under way) are taken once, by seq, as the
 *   store reads them. (The inode alone is not enough: a freed inode can be
 *   reused by a later wal.log, but not without a fold committing between,
 *   which moves `folded`.)
 * - If a rotation did happen, the read is done again (a fold comes every
 *   few thousand records; a read takes far less), up to MAX_ATTEMPTS times.
 *
 * Like the store, a torn last log line (a write under way, never yet
 * acknowledged) is left out, and so is a damaged record (the store sets it
 * aside and serves without it); damage is reported, never silently
 * dropped. The snapshot may hold a record whose write had reached the log
 * but whose append then failed: a backup holds what was acknowledged and
 * possibly a little more, never less.
 *
 * The cut's events are held in memory while the backup is written (as
 * `tact kb gaps` reads them); files are read one at a time.
 *
 * Files (photos, PDFs) are listed after the cut and read as the writer
 * needs them: a file is kept before the message naming it is appended, and
 * never removed, so every file a snapshot's message names is there.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupError, type BackupCounts, type BackupFile } from './backup-format.js';
import type { Snapshot } from './backup-writer.js';
import { readControl } from './control.js';
import { wrongShape, type ConversationFile } from './conversation-file.js';
import { CONVERSATIONS, FOLDING_FILE, isDataDir, WAL_FILE } from './data-dir.js';
import { DurableJsonFile } from './durable-file.js';
import { FILE_ID } from './file-store.js';
import { FILES_DIR, FsFileStore } from './fs-file-store.js';
import { parseLog, type ParsedLog } from './log-record.js';
import { SECRET_FILE } from './secret.js';
import { CONVERSATION_ID, StoreError, type StoredEvent } from './store.js';
import { errorCode, storeFs } from './store-fs.js';

const MAX_ATTEMPTS = 20;
const RETRY_MS = 50;

export interface DataDirSnapshot extends Snapshot {
  /** Damage read past (a damaged log record, an unreadable conversation file), as `tact store check` would name it. */
  readonly problems: readonly string[];
  /** Reads it took to see no rotation. */
  readonly attempts: number;
}

/**
 * The store in `dataDir` as of one moment, read without its lock.
 *
 * @example
 *   const snapshot = await snapshotDataDir('/var/lib/tact');
 *   await writeBackup('/backups/tact.tact.gz', snapshot);
 */
export async function snapshotDataDir(dataDir: string): Promise<DataDirSnapshot> {
  if (!(await isDataDir(dataDir))) throw new BackupError('BACKUP_SOURCE', `${dataDir} is not a Tact data directory (it has no conversations folder); nothing was written`);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const cut = await readCut(dataDir);
    if (cut) return snapshotOf(dataDir, cut, attempt);
    await new Promise((r) => setTimeout(r, RETRY_MS * attempt));
  }
  throw new BackupError('BACKUP_BUSY', `the store in ${dataDir} folded its log during each of ${MAX_ATTEMPTS} reads; nothing was written (run the backup again when it is less busy)`);
}

interface Cut {
  readonly conversations: Map<string, StoredEvent[]>;
  readonly problems: readonly string[];
}

/** Where the log is: its inode and the last committed fold; a change between two looks means a rotation happened. */
interface LogPlace {
  readonly inode: number | null;
  readonly folded: number | null;
}

/** One read of the whole store, or null when a rotation happened during it. */
async function readCut(dataDir: string): Promise<Cut | null> {
  const before = await logPlace(dataDir);
  const folding = await readLog(join(dataDir, FOLDING_FILE));
  const live = await readLiveLog(join(dataDir, WAL_FILE));
  if (live.inode !== before.inode) return null;
  const problems: string[] = [];
  const { conversations, lastSeq } = await readFiles(dataDir, problems);
  if (!samePlace(before, await logPlace(dataDir))) return null;
  for (const [name, log] of [
    [FOLDING_FILE, folding],
    [WAL_FILE, live.log],
  ] as const) {
    if (!log) continue;
    for (const d of log.damaged) problems.push(`${name}:${d.line} is a damaged record (${d.why}; it held ${d.held}); the store serves without it, and so does the backup`);
    for (const r of log.records) {
      if (r.s <= (lastSeq.get(r.c) ?? 0)) continue;
      const events = conversations.get(r.c);
      if (events) events.push(r.e);
      else conversations.set(r.c, [r.e]);
    }
  }
  return { conversations, problems };
}

async function logPlace(dataDir: string): Promise<LogPlace> {
  const inode = await stat(join(dataDir, WAL_FILE)).then(
    (s) => s.ino,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    },
  );
  try {
    return { inode, folded: (await readControl(dataDir))?.folded ?? null };
  } catch (err) {
    if (err instanceof StoreError) throw new BackupError('BACKUP_SOURCE', `${err.message}; nothing was written (see \`tact store check\`)`);
    throw err;
  }
}

function samePlace(a: LogPlace, b: LogPlace): boolean {
  return a.inode === b.inode && a.folded === b.folded;
}

/** Through the store's file-system seam (store-fs.ts), so a test can make a fold rotate the log at the worst moment of a read. */
async function readLog(path: string): Promise<ParsedLog | null> {
  try {
    return parseLog(await storeFs.readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** wal.log's records and the inode of the file they were read from (through one descriptor, so both are of the same file). */
async function readLiveLog(path: string): Promise<{ readonly log: ParsedLog | null; readonly inode: number | null }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { log: null, inode: null };
    throw err;
  }
  try {
    const inode = (await handle.stat()).ino;
    return { log: parseLog(await handle.readFile()), inode };
  } finally {
    await handle.close();
  }
}

/** Every conversation file's events and last seq; one that cannot be read is named in `problems` (the store would set it aside). */
async function readFiles(dataDir: string, problems: string[]): Promise<{ conversations: Map<string, StoredEvent[]>; lastSeq: Map<string, number> }> {
  const conversations = new Map<string, StoredEvent[]>();
  const lastSeq = new Map<string, number>();
  const names = await storeNames(join(dataDir, CONVERSATIONS), '.json');
  for (const id of names.filter((n) => CONVERSATION_ID.test(n))) {
    let data: ConversationFile | null;
    try {
      data = await new DurableJsonFile<ConversationFile>(join(dataDir, CONVERSATIONS, `${id}.json`)).read();
    } catch (err) {
      problems.push(`conversations/${id}.json cannot be read (${err instanceof StoreError ? err.message : errorCode(err)}); the store sets it aside, and the backup does not hold it`);
      continue;
    }
    // Gone since the listing: set aside by the store as unreadable.
    if (data === null) continue;
    const why = wrongShape(data, id);
    if (why) {
      problems.push(`conversations/${id}.json ${why}; the store sets it aside, and the backup does not hold it`);
      continue;
    }
    conversations.set(id, [...data.events]);
    lastSeq.set(id, data.lastSeq ?? 0);
  }
  return { conversations, lastSeq };
}

/** Names in a folder ending with `suffix`, without it (temporary files, which start with a dot, left out); none when there is no folder. */
async function storeNames(dir: string, suffix: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names.filter((n) => n.endsWith(suffix) && !n.startsWith('.')).map((n) => n.slice(0, -suffix.length));
}

/** The files every conversation keeps (files/<conversation>/<id>.json is written last, so a listed file is whole). */
async function listFiles(dataDir: string): Promise<{ readonly conversation: string; readonly id: string }[]> {
  const dirs = await readdir(join(dataDir, FILES_DIR)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const out: { conversation: string; id: string }[] = [];
  for (const conversation of dirs.filter((d) => CONVERSATION_ID.test(d)).sort()) {
    for (const id of (await storeNames(join(dataDir, FILES_DIR, conversation), '.json')).filter((n) => FILE_ID.test(n)).sort()) out.push({ conversation, id });
  }
  return out;
}

async function readSecret(dataDir: string): Promise<string | null> {
  try {
    const secret = (await readFile(join(dataDir, SECRET_FILE), 'utf8')).trim();
    return secret === '' ? null : secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function snapshotOf(dataDir: string, cut: Cut, attempts: number): Promise<DataDirSnapshot> {
  const ids = [...cut.conversations.keys()].filter((id) => (cut.conversations.get(id)?.length ?? 0) > 0).sort();
  const events = ids.flatMap((id) => cut.conversations.get(id) ?? []);
  const listed = await listFiles(dataDir);
  const files = new FsFileStore(dataDir);
  const counts: BackupCounts = { conversations: ids.length, events: events.length, messages: events.filter((e) => e.kind === 'message').length, files: listed.length };
  return {
    source: 'embedded',
    counts,
    problems: cut.problems,
    attempts,
    secret: await readSecret(dataDir),
    async *conversations() {
      for (const id of ids) yield { id, events: cut.conversations.get(id) ?? [] };
    },
    async *files() {
      for (const { conversation, id } of listed) yield await readBackupFile(files, conversation, id);
    },
  };
}

async function readBackupFile(files: FsFileStore, conversation: string, id: string): Promise<BackupFile> {
  const meta = await files.meta(conversation, id);
  const bytes = await files.read(conversation, id, 'file');
  if (meta === null || bytes === null) throw new BackupError('BACKUP_SOURCE', `files/${conversation}/${id} was listed, then could not be read; nothing was written`);
  return { conversation, meta, bytes, thumb: await files.read(conversation, id, 'thumb') };
}
