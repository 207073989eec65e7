/**
 * One server per data directory, decided by the kernel: an exclusive,
 * non-blocking flock(2) on `tact.lock`, held on a file descriptor that stays
 * open for the life of the process. When the process ends — a clean stop,
 * a crash, `kill -9`, the container's pid 1 dying — the kernel closes the
 * descriptor and the lock is free; nothing has to be cleaned up.
 *
 * Why not a pid in a file (what this replaced): whether a recorded pid is
 * "alive" says nothing about who holds the directory. The pid may have been
 * reused by an unrelated process, may be an unreaped zombie, may be 1 in
 * every container (the restarted server saw itself), and two servers taking
 * over a stale file at the same instant both won.
 *
 * Why fs-ext (2.1.1): Node has no flock. fs-ext (MIT, about 600 lines of
 * C++ on nan, flock/fcntl/seek) is the long-standing, widely installed
 * binding for it; node-gyp builds it at `npm ci` on every machine we run on
 * (g++, make, python3 and Node's headers are there, Node 20 included), and
 * a failed build fails the install loudly rather than leaving a weaker lock
 * behind. An addon of our own would be the same C++ for us to maintain.
 *
 * Why flock and not fcntl (POSIX) locks: a flock belongs to the open file,
 * so a second open in the same process is refused too, and closing some
 * other descriptor for the file (a read of it) does not drop it; POSIX
 * locks belong to the process and would do both.
 *
 * The file is never deleted: unlinking it after (or before) unlocking lets a
 * process that opened the old file and a process that created a new one both
 * hold "the" lock. The holder writes its pid, host and start time into it
 * for the message a refused server prints; the decision never reads them.
 */
import { accessSync, closeSync, constants, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { flockSync } from 'fs-ext';
import { StoreError } from './store.js';

export const LOCK_FILE = 'tact.lock';

export interface DirLock {
  /** Frees the directory for another process; calling it again does nothing. */
  release(): void;
}

/** What the holder writes into the lock file, for the message a refused process prints. */
interface Holder {
  readonly pid: number;
  readonly host: string | null;
  readonly since: string | null;
}

/** A refused process waits at most this long for the holder's record to settle (a holder that has just taken the lock is writing it). */
const SETTLE_MS = 1000;
const SETTLE_STEP_MS = 10;

/**
 * Takes the data directory for this process, or throws STORE_LOCKED naming
 * the process that has it, or STORE_UNWRITABLE when the lock file cannot be
 * opened for writing (a read-only or foreign directory).
 *
 * @example
 *   const lock = lockDataDir('/var/lib/tact');
 *   // … serve …
 *   lock.release();
 */
export function lockDataDir(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const fd = openLockFile(dir, path);
  try {
    flockSync(fd, 'exnb');
  } catch (err) {
    closeSync(fd);
    if (!isHeldElsewhere(err)) throw err;
    throw new StoreError('STORE_LOCKED', `the data directory ${dir} is in use by another Tact process ${describe(settledHolder(path))}; stop it or set TACT_DATA_DIR to another directory`);
  }
  writeHolder(fd);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      // Emptied while still held, so a leftover file never names a process that has stopped.
      tryTo(() => ftruncateSync(fd, 0));
      closeSync(fd);
    },
  };
}

/** The coded error for a data directory this process cannot write (exported for the store's own writes). */
export function unwritableDataDir(dir: string, err: NodeJS.ErrnoException): StoreError {
  const what = err.code === 'EROFS' ? 'is on a read-only file system' : `cannot be written by this user (${err.code ?? 'error'})`;
  return new StoreError(
    'STORE_UNWRITABLE',
    `the data directory ${dir} (TACT_DATA_DIR) ${what}${err.path && err.path !== dir ? ` (${err.path})` : ''}. Tact keeps its conversations there: make it writable for the user running Tact (or mount it read-write), or set TACT_DATA_DIR to a writable directory`,
  );
}

/**
 * Makes the data directory if it is missing and checks this process may
 * write in it, so a read-only or foreign directory is one clear error
 * (STORE_UNWRITABLE) before anything else touches it. (A recursive mkdir
 * reports a read-only parent as ENOENT, so the nearest existing folder is
 * asked directly.)
 */
export function checkDataDirWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const cause = isUnwritable(err) ? err : whyUnwritable(nearestExisting(dir));
    if (cause) throw unwritableDataDir(dir, cause);
    throw err;
  }
}

function nearestExisting(path: string): string {
  return existsSync(path) || dirname(path) === path ? path : nearestExisting(dirname(path));
}

function whyUnwritable(path: string): NodeJS.ErrnoException | null {
  try {
    accessSync(path, constants.W_OK);
    return null;
  } catch (err) {
    return isUnwritable(err) ? err : null;
  }
}

/** Errors that mean "this directory is not writable by us", as opposed to a fault. */
export function isUnwritable(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

function openLockFile(dir: string, path: string): number {
  try {
    // O_CLOEXEC is libuv's default: child processes never inherit the lock.
    return openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
  } catch (err) {
    if (isUnwritable(err)) throw unwritableDataDir(dir, err);
    throw err;
  }
}

function isHeldElsewhere(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Best effort: the record only serves the message; a full disk must not stop the lock being held. */
function writeHolder(fd: number): void {
  const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  tryTo(() => {
    ftruncateSync(fd, 0);
    writeSync(fd, `${JSON.stringify(holder)}\n`, 0);
  });
}

/**
 * The holder's record once it has stopped changing: a process that has just
 * won the lock may not have replaced a dead holder's record yet.
 */
function settledHolder(path: string): Holder | null {
  let last = readHolderText(path);
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_STEP_MS) {
    sleep(SETTLE_STEP_MS);
    const next = readHolderText(path);
    if (next === last && parseHolder(next)) break;
    last = next;
  }
  return parseHolder(last);
}

function readHolderText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The JSON record, or a bare pid (what older versions wrote). */
function parseHolder(text: string): Holder | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), host: null, since: null };
  try {
    const value = JSON.parse(trimmed) as Partial<Record<keyof Holder, unknown>>;
    if (typeof value.pid !== 'number') return null;
    return { pid: value.pid, host: typeof value.host === 'string' ? value.host : null, since: typeof value.since === 'string' ? value.since : null };
  } catch {
    return null;
  }
}

/** "(pid 42) since 2026-12-06T06:30:00.000Z", and the host when it is another machine's (a shared network drive). */
function describe(holder: Holder | null): string {
  if (!holder) return '(which has not written its pid)';
  const since = holder.since ? ` since ${holder.since}` : '';
  const host = holder.host && holder.host !== hostname() ? ` on host ${holder.host}` : '';
  return `(pid ${holder.pid})${since}${host}`;
}

function tryTo(action: () => void): void {
  try {
    action();
  } catch {
    // Deliberately ignored: see the callers.
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
