/**
 * The Store a deployment's configuration asks for: PostgreSQL when
 * TACT_DATABASE_URL is set (several instances share it), otherwise the
 * embedded store in the data directory (one process, nothing to install).
 * Every caller opens its store here, so both pass through the same door; the
 * database driver is loaded only when a database is configured.
 */
import type { Logger } from '../log.js';
import { redactedUrl } from './database-url.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import type { FileStore } from './file-store.js';
import { FsFileStore } from './fs-file-store.js';

export type StoreConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string; readonly foldEvery: number | null }
  | { readonly kind: 'postgres'; readonly url: string };

/** What the configuration says: the database when a URL is given, else the data directory. */
export function storeConfigOf(config: { readonly databaseUrl: string | null; readonly dataDir: string; readonly foldEvery: number | null }): StoreConfig {
  return config.databaseUrl !== null ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir, foldEvery: config.foldEvery };
}

export async function openStore(config: StoreConfig, log: Logger): Promise<Store> {
  switch (config.kind) {
    case 'embedded':
      return openLowdbStore(config.dataDir, { log, ...(config.foldEvery !== null ? { foldEvery: config.foldEvery } : {}) });
    case 'postgres': {
      const { openPgStore } = await import('./pg-store.js');
      return openPgStore(config.url, { log });
    }
  }
}

/** Where the conversations' files are kept: beside them, in the data directory or the database. */
export async function openFileStore(config: StoreConfig): Promise<FileStore> {
  switch (config.kind) {
    case 'embedded':
      return new FsFileStore(config.dataDir);
    case 'postgres': {
      const { openPgFileStore } = await import('./pg-file-store.js');
      return openPgFileStore(config.url);
    }
  }
}

/** Where the conversations are kept, as the startup log names it (a database URL without its password). */
export function storeLabel(config: StoreConfig): string {
  return config.kind === 'embedded' ? config.dataDir : redactedUrl(config.url);
}
