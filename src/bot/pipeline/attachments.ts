/**
 * Photos and PDFs in conversations: an upload is made safe (files/prepare.ts)
 * and kept under its conversation (the FileStore) before its id is given
 * back; a message then names it by that id, and only a file of the same
 * conversation can be named. Channels (the upload route, Slack) come here;
 * they never keep or read a file themselves.
 */
import { randomBytes } from 'node:crypto';
import { prepareFile } from '../files/prepare.js';
import type { FileRef } from './turn-io.js';
import { cleanFileName, type FileStore, type FileVariant } from '../store/file-store.js';
import type { StoredFile } from '../store/store.js';

export class Attachments {
  constructor(
    private readonly files: FileStore,
    private readonly now: () => Date,
  ) {}

  /** Checks, rewrites (images) and keeps a file sent in a conversation; rejects with a FileError saying why it is refused. */
  async keep(conversationId: string, bytes: Buffer, name: string | null, from: StoredFile['from']): Promise<StoredFile> {
    const prepared = await prepareFile(bytes);
    const meta: StoredFile = { id: randomBytes(16).toString('base64url'), kind: prepared.kind, mime: prepared.mime, name: cleanFileName(name), size: prepared.bytes.length, width: prepared.width, height: prepared.height, at: this.now().toISOString(), from };
    await this.files.put(conversationId, meta, prepared.bytes, prepared.thumb);
    return meta;
  }

  /** The conversation's file by id, or null (another conversation's file is not found). */
  find(conversationId: string, id: string): Promise<StoredFile | null> {
    return this.files.meta(conversationId, id);
  }

  read(conversationId: string, id: string, variant: FileVariant): Promise<Buffer | null> {
    return this.files.read(conversationId, id, variant);
  }
}

/** A stored file as the widget shows it. */
export function fileRef(f: StoredFile): FileRef {
  return { id: f.id, kind: f.kind, name: f.name, size: f.size, ...(f.width !== null ? { width: f.width } : {}), ...(f.height !== null ? { height: f.height } : {}) };
}
