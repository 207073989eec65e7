/**
 * One server per data directory: a lock file holding the owner's pid,
 * created exclusively. A second process on the same directory refuses to
 * start with a clear message; a lock left by a process that died (kill -9)
 * is taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './store.js';

export const LOCK_FILE = 'tact.lock';

export interface DirLock {
  release(): void;
}

export function lockDataDir(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && isAlive(owner)) {
        throw new StoreError('STORE_LOCKED', `the data directory ${dir} is in use by another Tact process (pid ${owner}); stop it or set TACT_DATA_DIR to another directory`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new StoreError('STORE_LOCKED', `could not lock the data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
