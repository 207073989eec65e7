/**
 * Fault injection at the store's file-system seam (src/bot/store/store-fs.ts):
 * `inject('write', 'ENOSPC', { path: /wal\.log$/ })` makes that call fail as
 * the kernel would, for the files whose path matches, until `clear()`.
 * Descriptor calls (write, fdatasync, ftruncate…) are matched by the path the
 * descriptor was opened with, which the helper remembers.
 */
import { storeFs, type StoreFs } from '../../src/bot/store/store-fs.js';

export type FsCall = keyof StoreFs;

export interface FaultOptions {
  /** Only calls on a file whose path matches (default: every file). */
  readonly path?: RegExp;
  /** Fail this many times, then work again (default: until cleared). */
  readonly times?: number;
  /** For `write`: write half of the bytes first, as a disk filling up mid-write does. */
  readonly torn?: boolean;
}

export interface Fault {
  /** Calls that failed so far. */
  readonly hits: number;
  clear(): void;
}

const original: StoreFs = { ...storeFs };
const fdPaths = new Map<number, string>();
const active = new Set<() => void>();

// Remember which path each descriptor belongs to, so descriptor calls can be matched by file.
storeFs.open = async (path, flags, mode) => {
  const fd = await original.open(path, flags, mode);
  fdPaths.set(fd, path);
  return fd;
};

export function errnoError(code: string, call: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${call} '${path}'`), { code, syscall: call, path });
}

/** Makes `call` fail with `code` (e.g. EIO, ENOSPC, EMFILE, EACCES) for matching files until cleared. */
export function inject(call: FsCall, code: string, opts: FaultOptions = {}): Fault {
  const inner = storeFs[call] as (...args: unknown[]) => Promise<unknown>;
  let hits = 0;
  const pathOf = (first: unknown): string => (typeof first === 'number' ? (fdPaths.get(first) ?? `fd ${first}`) : String(first));
  const wrapper = async (...args: unknown[]): Promise<unknown> => {
    const path = pathOf(args[0]);
    const matches = (opts.path?.test(path) ?? true) && (opts.times === undefined || hits < opts.times);
    if (!matches) return inner(...args);
    hits++;
    if (call === 'write' && opts.torn) {
      const [fd, data, offset, length] = args as [number, Buffer, number, number];
      if (length > 1) await original.write(fd, data, offset, Math.floor(length / 2));
    }
    throw errnoError(code, call, path);
  };
  return install(call, inner, wrapper, () => hits);
}

/** Counts the calls of one kind on matching files (a spy, no fault). */
export function count(call: FsCall, path: RegExp): Fault {
  const inner = storeFs[call] as (...args: unknown[]) => Promise<unknown>;
  let hits = 0;
  const wrapper = async (...args: unknown[]): Promise<unknown> => {
    if (path.test(typeof args[0] === 'number' ? (fdPaths.get(args[0]) ?? '') : String(args[0]))) hits++;
    return inner(...args);
  };
  return install(call, inner, wrapper, () => hits);
}

/** Puts `wrapper` in the seam's place of `call` until cleared (then `inner` again, unless another wrapper came since). */
function install(call: FsCall, inner: (...args: unknown[]) => Promise<unknown>, wrapper: (...args: unknown[]) => Promise<unknown>, hits: () => number): Fault {
  const seam = storeFs as unknown as Record<string, unknown>;
  seam[call] = wrapper;
  const clear = (): void => {
    if (seam[call] === wrapper) seam[call] = inner;
    active.delete(clear);
  };
  active.add(clear);
  return {
    get hits() {
      return hits();
    },
    clear,
  };
}

/** Clears every fault still active (an afterEach hook), newest first. */
export function clearFaults(): void {
  for (const clear of [...active].reverse()) clear();
}
