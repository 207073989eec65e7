/**
 * Where `tact chat` keeps its conversation: the real store (the lowdb one
 * the server uses, with its lock), in a temporary folder that is deleted
 * when the chat ends however it ends (the last answer, Ctrl-C, a crash), or
 * in `--data DIR`, which is kept, so the conversation can be read later
 * (`tact kb gaps --data DIR`, the admin page of a server on that folder).
 * A folder a running server holds is refused (STORE_LOCKED).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../bot/log.js';
import { checkDataDirWritable } from '../bot/store/lock.js';
import { openLowdbStore } from '../bot/store/lowdb-store.js';
import type { Store } from '../bot/store/store.js';

export interface ChatData {
  readonly dir: string;
  /** True for the throwaway folder (deleted by `close`, or when the process exits). */
  readonly temporary: boolean;
  readonly store: Store;
  /** Closes the store, then deletes a temporary folder. */
  close(): Promise<void>;
}

export async function openChatData(flag: string | undefined, log: Logger): Promise<ChatData> {
  if (flag !== undefined) {
    const dir = resolve(flag);
    checkDataDirWritable(dir);
    const store = await openLowdbStore(dir, { log });
    return { dir, temporary: false, store, close: () => store.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tact-chat-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  // However the process ends (a signal handler's process.exit, an uncaught error), the folder goes with it.
  process.on('exit', remove);
  const forget = (): void => {
    remove();
    process.off('exit', remove);
  };
  let store: Store;
  try {
    store = await openLowdbStore(dir, { log });
  } catch (err) {
    forget();
    throw err;
  }
  return {
    dir,
    temporary: true,
    store,
    close: async () => {
      try {
        await store.close();
      } finally {
        forget();
      }
    },
  };
}
