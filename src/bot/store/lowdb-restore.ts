/**
 * `tact restore FILE --into DIR`: a backup (from either store) into a data
 * directory, all or nothing. Everything is written into a staging folder
 * beside the target (same file system), as the store keeps it: one
 * conversation file per conversation, its events in order with their
 * message numbers (no log records, so nothing to fold), the files through
 * the store's FsFileStore, the session secret. Once the backup has verified
 * (backup-reader.ts), the staged directory is opened by the store's own code
 * — which builds control.json (high-water mark, the unfinished index, so a
 * server started on it re-runs pending turns and requeues open handoffs) as
 * for any directory without one — every conversation is read back and
 * checked by counts (restore-check.ts), and only then is it renamed into
 * place. A failure anywhere removes the staging folder; the target is
 * untouched.
 *
 * The target must not be live or hold anything: a missing or empty folder
 * is restored into; an existing data directory is refused while a server
 * holds its lock (RESTORE_TARGET_LIVE) or when it holds any conversation,
 * file or quarantined damage (RESTORE_TARGET_NOT_EMPTY), and even an empty
 * one only with `allowEmpty` (--allow-empty), since a data directory is
 * usually somebody's store. That one is replaced under its lock.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BackupError } from './backup-format.js';
import { readBackup, type BackupItem } from './backup-reader.js';
import type { ConversationFile } from './conversation-file.js';
import { CONVERSATIONS, conversationPath, isDataDir, QUARANTINE } from './data-dir.js';
import { DurableJsonFile, syncDir } from './durable-file.js';
import { FILES_DIR, FsFileStore } from './fs-file-store.js';
import { lockDataDir, type DirLock } from './lock.js';
import { openLowdbStore, readAllConversations } from './lowdb-store.js';
import { countsOf, type ConversationCounts } from './pg-import.js';
import { verifyRestored, type RestoreReport } from './restore-check.js';
import { SECRET_FILE } from './secret.js';
import { StoreError } from './store.js';
import { errorCode, storeFs, writeAll } from './store-fs.js';

export interface RestoreOptions {
  /** Restore into an existing data directory that holds nothing (--allow-empty). */
  readonly allowEmpty?: boolean;
}

/** Where the restored directory goes: a new path, an empty folder, or an empty data directory (replaced under its lock). */
type Target = { readonly kind: 'new' } | { readonly kind: 'empty-store'; readonly lock: DirLock };

/**
 * Restores `file` into the data directory `target`.
 *
 * @example
 *   const report = await restoreIntoDataDir('/backups/tact.tact.gz', '/var/lib/tact-restored');
 */
export async function restoreIntoDataDir(file: string, target: string, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const place = await checkTarget(target, opts.allowEmpty ?? false);
  const staging = join(dirname(target), `.${basename(target)}.restoring-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(join(staging, CONVERSATIONS), { recursive: true, mode: 0o700 });
    const staged = new Staged(staging);
    const header = await readBackup(file, (item) => staged.take(item));
    await syncDir(join(staging, CONVERSATIONS));
    await staged.verify(target);
    await moveIntoPlace(staging, target, place);
    return { header, counts: header.counts, secret: staged.secret ? 'restored' : 'none' };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError('RESTORE_FAILED', `writing the restore beside ${target} failed (${err instanceof StoreError ? err.message : errorCode(err)}); nothing was restored`);
  } finally {
    if (place.kind === 'empty-store') place.lock.release();
  }
}

/** What the staging folder holds so far, written as each item of the backup is read. */
class Staged {
  readonly expected = new Map<string, ConversationCounts>();
  private readonly files: { readonly conversation: string; readonly id: string }[] = [];
  private readonly fileStore: FsFileStore;
  secret = false;

  constructor(private readonly dir: string) {
    this.fileStore = new FsFileStore(dir);
  }

  async take(item: BackupItem): Promise<void> {
    switch (item.kind) {
      case 'conversation': {
        const data: ConversationFile = { id: item.id, lastSeq: 0, events: [...item.events] };
        await new DurableJsonFile<ConversationFile>(conversationPath(this.dir, item.id), { syncDir: false }).write(data);
        this.expected.set(item.id, countsOf(item.events));
        return;
      }
      case 'file':
        await this.fileStore.put(item.file.conversation, item.file.meta, item.file.bytes, item.file.thumb);
        this.files.push({ conversation: item.file.conversation, id: item.file.meta.id });
        return;
      case 'secret':
        await writeSecret(this.dir, item.value);
        this.secret = true;
        return;
    }
  }

  /** Opens the staged directory with the store's own code and reads every conversation and file back. */
  async verify(target: string): Promise<void> {
    const store = await openLowdbStore(this.dir);
    const restored = new Map<string, ConversationCounts>();
    try {
      for (const id of await store.conversations()) restored.set(id, countsOf(await store.read(id)));
      if (store.problems.length > 0) throw new BackupError('RESTORE_UNVERIFIED', `the restored store reported problems (${store.problems.join('; ')}); nothing was restored`);
    } finally {
      await store.close();
    }
    let readBack = 0;
    for (const { conversation, id } of this.files) if ((await this.fileStore.meta(conversation, id)) && (await this.fileStore.read(conversation, id, 'file'))) readBack++;
    verifyRestored(target, this.expected, restored, { expected: this.files.length, restored: readBack });
  }
}

async function writeSecret(dir: string, secret: string): Promise<void> {
  const fd = await storeFs.open(join(dir, SECRET_FILE), 'w');
  try {
    await storeFs.fchmod(fd, 0o600);
    await writeAll(fd, Buffer.from(`${secret}\n`));
    await storeFs.fsync(fd);
  } finally {
    await storeFs.close(fd);
  }
}

/** Refuses a live or non-empty target (see the header). */
async function checkTarget(target: string, allowEmpty: boolean): Promise<Target> {
  const kind = await stat(target).then(
    (s) => (s.isDirectory() ? 'dir' : 'other'),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return 'missing';
      throw err;
    },
  );
  if (kind === 'missing') return { kind: 'new' };
  if (kind === 'other') throw notEmpty(`${target} is not a directory`);
  if ((await readdir(target)).length === 0) return { kind: 'new' };
  if (!(await isDataDir(target))) throw notEmpty(`${target} holds files and is not a Tact data directory`);
  const lock = lockTarget(target);
  try {
    if (!(await holdsNothing(target))) throw notEmpty(`${target} is a data directory that holds conversations, files or quarantined damage; restore into a new directory`);
    if (!allowEmpty) throw notEmpty(`${target} is an existing data directory (it holds nothing); pass --allow-empty to restore into it`);
  } catch (err) {
    lock.release();
    throw err;
  }
  return { kind: 'empty-store', lock };
}

function lockTarget(target: string): DirLock {
  try {
    return lockDataDir(target);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'STORE_LOCKED') {
      throw new BackupError('RESTORE_TARGET_LIVE', `${err.message.split('; stop it')[0] ?? err.message}; a restore never writes into a live store (stop the server, or restore into a new directory)`);
    }
    throw err;
  }
}

function notEmpty(why: string): BackupError {
  return new BackupError('RESTORE_TARGET_NOT_EMPTY', `${why}; nothing was restored`);
}

async function holdsNothing(dataDir: string): Promise<boolean> {
  if ((await readAllConversations(dataDir)).size > 0) return false;
  for (const folder of [FILES_DIR, QUARANTINE]) if ((await readdir(join(dataDir, folder)).catch(() => [])).length > 0) return false;
  return true;
}

/** Renames the verified staging folder to the target (an empty data directory is first moved aside, then removed). */
async function moveIntoPlace(staging: string, target: string, place: Target): Promise<void> {
  if (place.kind === 'new') {
    await rename(staging, target);
  } else {
    const aside = `${staging}.replaced`;
    await rename(target, aside);
    await rename(staging, target);
    await rm(aside, { recursive: true, force: true });
  }
  await syncDir(dirname(target));
}
