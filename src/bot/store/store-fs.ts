/**
 * Every file-system call the store makes goes through this one object, so a
 * test can wrap exactly the call it means (`write`, `fdatasync`, `rename`,
 * `open`…) and make it fail as a full disk (ENOSPC), a failing device (EIO)
 * or a process out of descriptors (EMFILE) would, then clear the fault and
 * check that the store lost nothing and carried on. Calls are looked up on
 * the object at each use, never captured, so a wrapper takes effect at once.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';

const fsOpen = promisify(fs.open);
const fsWrite = promisify(fs.write);
const fsClose = promisify(fs.close);
const fsFdatasync = promisify(fs.fdatasync);
const fsFsync = promisify(fs.fsync);
const fsFtruncate = promisify(fs.ftruncate);
const fsFstat = promisify(fs.fstat);
const fsFchmod = promisify(fs.fchmod);

export interface StoreFs {
  /** Opens a file and returns its descriptor; files the store creates are the owner's only (0600). */
  open(path: string, flags: string, mode?: number): Promise<number>;
  /** One write(2): it may take fewer bytes than given, and says how many it took. */
  write(fd: number, data: Buffer, offset: number, length: number): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
  size(fd: number): Promise<number>;
  fchmod(fd: number, mode: number): Promise<void>;
  close(fd: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** A path's permission bits, or null when it does not exist. */
  mode(path: string): Promise<number | null>;
}

export const storeFs: StoreFs = {
  open: (path, flags, mode = 0o600) => fsOpen(path, flags, mode),
  write: async (fd, data, offset, length) => (await fsWrite(fd, data, offset, length)).bytesWritten,
  fdatasync: (fd) => fsFdatasync(fd),
  fsync: (fd) => fsFsync(fd),
  ftruncate: (fd, length) => fsFtruncate(fd, length),
  size: async (fd) => (await fsFstat(fd)).size,
  fchmod: (fd, mode) => fsFchmod(fd, mode),
  close: (fd) => fsClose(fd),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (path) => fs.promises.unlink(path),
  rmdir: (path) => fs.promises.rmdir(path),
  readFile: (path) => fs.promises.readFile(path),
  readdir: (path) => fs.promises.readdir(path),
  mkdir: async (path, mode) => {
    await fs.promises.mkdir(path, { recursive: true, mode });
  },
  chmod: (path, mode) => fs.promises.chmod(path, mode),
  mode: async (path) => {
    try {
      return (await fs.promises.stat(path)).mode & 0o777;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
};

/** Writes all of a buffer: one write may take fewer bytes than asked. */
export async function writeAll(fd: number, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) offset += await storeFs.write(fd, data, offset, data.length - offset);
}

/** An fs error's code (EIO, ENOSPC…), or the message of any other error, for reports and logs. */
export function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
