/**
 * Files customers and agents send in a conversation (photos, PDFs), kept
 * beside it: the embedded store writes them under the data directory,
 * PostgreSQL in a table, so every instance serves every file. One small
 * interface, one contract test (test/bot/store/file-store-contract.ts).
 *
 * A file is kept under its conversation and a random id; reading needs
 * both, so a file is found only through the conversation it belongs to.
 * `put` resolves only once the file is durable, and a file is visible
 * (`meta`) only once all of it is.
 */
import { CONVERSATION_ID, StoreError, type StoredFile } from './store.js';

export type { StoredFile } from './store.js';


export type FileVariant = 'file' | 'thumb';

export interface FileStore {
  /** Keeps a file and its thumbnail (images) under a conversation; resolves once durable. */
  put(conversationId: string, meta: StoredFile, bytes: Buffer, thumb: Buffer | null): Promise<void>;
  /** A file's description, or null when the conversation has no such file. */
  meta(conversationId: string, id: string): Promise<StoredFile | null>;
  /** A file's bytes or its thumbnail's, or null when there is none. */
  read(conversationId: string, id: string, variant: FileVariant): Promise<Buffer | null>;
  /** Deletes every file of a conversation (retention, a customer's request to be forgotten); resolves with how many there were. */
  removeAll(conversationId: string): Promise<number>;
  close(): Promise<void>;
}

export const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

/** Ids become file names: checked before any path is made from them. */
export function checkFileKey(conversationId: string, id: string): void {
  if (!CONVERSATION_ID.test(conversationId)) throw new StoreError('STORE_BAD_ID', `conversation id ${JSON.stringify(conversationId.slice(0, 80))} is not a conversation id`);
  if (!FILE_ID.test(id)) throw new StoreError('STORE_BAD_ID', `file id ${JSON.stringify(id.slice(0, 80))} is not 22 letters, digits, - or _`);
}

/** A file name as shown: its last path part, control and bidi characters out, at most 120 characters; 'file' when nothing is left. */
export function cleanFileName(raw: string | null | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}
