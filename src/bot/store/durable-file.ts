/**
 * A lowdb adapter that writes JSON durably: to a temporary file, fsync,
 * rename over the old file, fsync the directory. A crash leaves either the
 * old file or the new one, never half of one, and a resolved write survives
 * power loss. lowdb's own JSONFile renames without fsync.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreError } from './store.js';

/** Has lowdb's adapter shape (read, write) without importing lowdb: lowdb-store.ts stays its only importer. */
export class DurableJsonFile<T> {
  private readonly temp: string;

  constructor(private readonly path: string) {
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
    const fd = openSync(this.temp, 'w');
    try {
      writeSync(fd, JSON.stringify(data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
