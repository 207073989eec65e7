/**
 * A lowdb adapter that writes JSON durably: to a temporary file (the
 * owner's only, 0600), fsync, rename over the old file, fsync the
 * directory. A crash leaves either the old file or the new one, never half
 * of one, and a resolved write survives power loss. lowdb's own JSONFile
 * renames without fsync. All I/O goes through the store's file-system seam
 * (store-fs.ts), asynchronously, so folding many files never stalls the
 * event loop and tests can make any step fail.
 *
 * `syncDir: false` leaves the directory sync to the caller, who writes many
 * files and then calls `syncDir` once.
 */
import { basename, dirname, join } from 'node:path';
import { StoreError } from './store.js';
import { storeFs, writeAll } from './store-fs.js';

/** Has lowdb's adapter shape (read, write) without importing lowdb: lowdb-store.ts stays its only importer. */
export class DurableJsonFile<T> {
  private readonly temp: string;

  constructor(
    private readonly path: string,
    private readonly opts: { readonly syncDir: boolean } = { syncDir: true },
  ) {
    this.temp = join(dirname(path), `.${basename(path)}.tmp`);
  }

  /** The parsed file, null when there is none; STORE_CORRUPT when it is empty or not JSON. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = (await storeFs.readFile(this.path)).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (text.length === 0) throw new StoreError('STORE_CORRUPT', `${this.path} is empty`);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StoreError('STORE_CORRUPT', `${this.path} is not valid JSON`);
    }
  }

  async write(data: T): Promise<void> {
    const fd = await storeFs.open(this.temp, 'w');
    try {
      await storeFs.fchmod(fd, 0o600);
      await writeAll(fd, Buffer.from(JSON.stringify(data)));
      await storeFs.fsync(fd);
    } catch (err) {
      await storeFs.close(fd).catch(() => undefined);
      await storeFs.unlink(this.temp).catch(() => undefined);
      throw err;
    }
    await storeFs.close(fd);
    try {
      await storeFs.rename(this.temp, this.path);
    } catch (err) {
      await storeFs.unlink(this.temp).catch(() => undefined);
      throw err;
    }
    if (this.opts.syncDir) await syncDir(dirname(this.path));
  }
}

/** Makes renames in a directory durable. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await storeFs.open(dir, 'r');
  try {
    await storeFs.fsync(fd);
  } finally {
    await storeFs.close(fd);
  }
}
