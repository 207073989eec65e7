/**
 * The embedded store's files, under the data directory:
 *
 *   files/<conversation>/<id>.bin    the file
 *   files/<conversation>/<id>.thumb  its thumbnail (images)
 *   files/<conversation>/<id>.json   its description, written last
 *
 * Each part is written as the store writes everything (temporary file,
 * fsync, rename, directory fsync, through store-fs.ts), and the description
 * last, so a crash mid-way leaves a file nobody can see rather than half a
 * file somebody can.
 */
import { join } from 'node:path';
import { DurableJsonFile, syncDir } from './durable-file.js';
import { checkConversationId } from './store.js';
import { checkFileKey, type FileStore, type FileVariant, type StoredFile } from './file-store.js';
import { storeFs, writeAll } from './store-fs.js';

export const FILES_DIR = 'files';

export class FsFileStore implements FileStore {
  constructor(private readonly dataDir: string) {}

  async put(conversationId: string, meta: StoredFile, bytes: Buffer, thumb: Buffer | null): Promise<void> {
    checkFileKey(conversationId, meta.id);
    const dir = this.dir(conversationId);
    await storeFs.mkdir(dir, 0o700);
    await writeDurably(join(dir, `${meta.id}.bin`), bytes);
    if (thumb) await writeDurably(join(dir, `${meta.id}.thumb`), thumb);
    await new DurableJsonFile<StoredFile>(join(dir, `${meta.id}.json`)).write(meta);
  }

  async meta(conversationId: string, id: string): Promise<StoredFile | null> {
    checkFileKey(conversationId, id);
    return new DurableJsonFile<StoredFile>(join(this.dir(conversationId), `${id}.json`)).read();
  }

  async read(conversationId: string, id: string, variant: FileVariant): Promise<Buffer | null> {
    if ((await this.meta(conversationId, id)) === null) return null;
    try {
      return await storeFs.readFile(join(this.dir(conversationId), `${id}.${variant === 'file' ? 'bin' : 'thumb'}`));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Descriptions first (a file without one is seen by nobody), then the bytes, then the folder. */
  async removeAll(conversationId: string): Promise<number> {
    checkConversationId(conversationId);
    const dir = this.dir(conversationId);
    const names = await storeFs.readdir(dir).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    });
    const described = names.filter((n) => n.endsWith('.json'));
    for (const name of [...described, ...names.filter((n) => !n.endsWith('.json'))]) await storeFs.unlink(join(dir, name));
    if (names.length > 0) {
      await syncDir(dir);
      await storeFs.rmdir(dir);
    }
    return described.length;
  }

  async close(): Promise<void> {}

  private dir(conversationId: string): string {
    return join(this.dataDir, FILES_DIR, conversationId);
  }
}

/** Temporary file, fsync, rename: the bytes are all there or not at all. (The description's write syncs the directory after.) */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const temp = `${path}.tmp`;
  const fd = await storeFs.open(temp, 'w');
  try {
    await writeAll(fd, data);
    await storeFs.fsync(fd);
  } finally {
    await storeFs.close(fd);
  }
  await storeFs.rename(temp, path);
}
