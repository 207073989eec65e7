/**
 * A lowdb adapter that writes JSON durably: to a temporary file, fsync,
 * rename over the old file, fsync the directory. A crash leaves either the
 * old file or the new one, never half of one, and a resolved write survives
 * power loss. lowdb's own JSONFile renames without fsync. Writes use
 * asynchronous I/O, so folding many files never stalls the event loop.
 *
 * `syncDir: false` leaves the directory sync to the caller, who writes many
 * files and then calls `syncDir` once.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { storeFs, writeAll } from './store-fs.js';
import { basename, dirname, join } from 'node:path';
import { StoreError } from './store.js';

/** Has lowdb's adapter shape (read, write) without importing lowdb: lowdb-store.ts stays its only importer. */
export class DurableJsonFile<T> {
  private readonly temp: string;

  constructor(
    private readonly path: string,
    private readonly opts: { readonly syncDir: boolean } = { syncDir: true },
  ) {
    this.temp = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StoreError('STORE_CORRUPT', `${this.path} is not valid JSON`);
    }
  }

  async write(data: T): Promise<void> {
    const fd = await storeFs.open(this.temp, 'w');
    try {
      await writeAll(fd, Buffer.from(JSON.stringify(data)));
      await storeFs.fsync(fd);
    } finally {
      await storeFs.close(fd);
    }
    await storeFs.rename(this.temp, this.path);
    if (this.opts.syncDir) await syncDir(dirname(this.path));
  }
}

/** Makes renames in a directory durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
