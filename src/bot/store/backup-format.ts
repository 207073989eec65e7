/**
 * The backup file (`tact backup`, `tact restore`): one logical, versioned,
 * checksummed file that either store kind writes and either store kind
 * restores, so a shop can also move between the data directory and
 * PostgreSQL through a backup. gzip over JSON lines:
 *
 *   {"format":"tact-backup","version":1,"createdAt":…,"source":"embedded","counts":{…}}   the header
 *   {"t":"event","c":"<conversation>","e":{…}}          every event, a conversation's together, in its order
 *   {"t":"file","c":"<conversation>","meta":{…},"bytes":"<base64>","thumb":"<base64>"|null}
 *   {"t":"secret","value":"…"}                          the data directory's session secret (when it has one)
 *   {"t":"end","counts":{…},"sha256":"<hex>"}           the trailer: counts again, and the SHA-256 of every byte before it
 *
 * Logical rather than a copy of the store's files (or pg_dump's): events
 * are what both stores read and write, so a backup is restored through the
 * same checks into either, and it does not depend on the log, the fold or
 * the table layout of the version that wrote it. One line per event (not
 * per conversation) bounds a line by one event or one file, so a reader
 * can refuse a longer line as hostile without refusing a long conversation.
 *
 * This module is the pure part: the line shapes and checking one line.
 */
import { FILE_ID } from './file-store.js';
import { CONVERSATION_ID, type StoredEvent, type StoredFile } from './store.js';

export const BACKUP_FORMAT = 'tact-backup';
export const BACKUP_VERSION = 1;

/**
 * The longest line a reader accepts: a largest file (10 MB, files/prepare.ts;
 * not imported, it would load the image library) in base64 with its
 * thumbnail and description fits with room to spare; a longer line is
 * refused before it is held in memory.
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export interface BackupCounts {
  /** Conversations with at least one event. */
  readonly conversations: number;
  readonly events: number;
  /** Message events among them. */
  readonly messages: number;
  /** Photos and PDFs (file-store.ts). */
  readonly files: number;
}

export const NO_COUNTS: BackupCounts = { conversations: 0, events: 0, messages: 0, files: 0 };

export type BackupSource = 'embedded' | 'postgres';

export interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly createdAt: string;
  readonly source: BackupSource;
  readonly counts: BackupCounts;
}

/** A photo or PDF with its bytes, as a backup carries it. */
export interface BackupFile {
  readonly conversation: string;
  readonly meta: StoredFile;
  readonly bytes: Buffer;
  readonly thumb: Buffer | null;
}

/** A body line, decoded and checked. */
export type BackupLine =
  | { readonly t: 'event'; readonly c: string; readonly e: StoredEvent }
  | { readonly t: 'file'; readonly file: BackupFile }
  | { readonly t: 'secret'; readonly value: string }
  | { readonly t: 'end'; readonly counts: BackupCounts; readonly sha256: string };

/**
 * BACKUP_EXISTS / BACKUP_BUSY / BACKUP_SOURCE: `tact backup` could not write a backup (nothing was written).
 * RESTORE_*: the file was refused (NOT_A_BACKUP, WRONG_VERSION, TRUNCATED, CORRUPT, LINE_TOO_LONG, BAD_NAME),
 * or the target was (TARGET_LIVE, TARGET_NOT_EMPTY), or the restored store did not hold what the file does (UNVERIFIED),
 * or writing it failed (FAILED: a full disk, the database refusing or going away); nothing was restored either way.
 */
export type BackupErrorCode =
  | 'BACKUP_EXISTS'
  | 'BACKUP_BUSY'
  | 'BACKUP_SOURCE'
  | 'RESTORE_NOT_A_BACKUP'
  | 'RESTORE_WRONG_VERSION'
  | 'RESTORE_TRUNCATED'
  | 'RESTORE_CORRUPT'
  | 'RESTORE_LINE_TOO_LONG'
  | 'RESTORE_BAD_NAME'
  | 'RESTORE_TARGET_LIVE'
  | 'RESTORE_TARGET_NOT_EMPTY'
  | 'RESTORE_UNVERIFIED'
  | 'RESTORE_FAILED';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export function headerLine(source: BackupSource, counts: BackupCounts, createdAt: Date): string {
  const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: createdAt.toISOString(), source, counts };
  return `${JSON.stringify(header)}\n`;
}

export function eventLine(conversation: string, event: StoredEvent): string {
  return `${JSON.stringify({ t: 'event', c: conversation, e: event })}\n`;
}

export function fileLine(f: BackupFile): string {
  return `${JSON.stringify({ t: 'file', c: f.conversation, meta: f.meta, bytes: f.bytes.toString('base64'), thumb: f.thumb ? f.thumb.toString('base64') : null })}\n`;
}

export function secretLine(value: string): string {
  return `${JSON.stringify({ t: 'secret', value })}\n`;
}

export function endLine(counts: BackupCounts, sha256: string): string {
  return `${JSON.stringify({ t: 'end', counts, sha256 })}\n`;
}

export function sameBackupCounts(a: BackupCounts, b: BackupCounts): boolean {
  return a.conversations === b.conversations && a.events === b.events && a.messages === b.messages && a.files === b.files;
}

export function describeBackupCounts(c: BackupCounts): string {
  return `${c.conversations} conversations (${c.events} events, ${c.messages} messages), ${c.files} files`;
}

/** The header (the file's first line), or the coded reason it is not one this version reads. */
export function parseHeader(text: string, where: string): BackupHeader {
  const value = parseJson(text, where, 'RESTORE_NOT_A_BACKUP');
  if (!isObject(value) || value['format'] !== BACKUP_FORMAT) throw new BackupError('RESTORE_NOT_A_BACKUP', `${where} is not a Tact backup (its first line is not a tact-backup header)`);
  if (value['version'] !== BACKUP_VERSION) {
    throw new BackupError('RESTORE_WRONG_VERSION', `${where} is a version ${JSON.stringify(value['version'])} backup; this Tact reads version ${BACKUP_VERSION} (restore it with the Tact that wrote it)`);
  }
  const counts = countsOf(value['counts']);
  const createdAt = value['createdAt'];
  const source = value['source'];
  if (!counts || typeof createdAt !== 'string' || (source !== 'embedded' && source !== 'postgres')) throw corrupt(where, 'the header lacks its counts, createdAt or source');
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt, source, counts };
}

/** A body line, checked: every id that names a file on disk is a valid id, every event has a kind, every file its bytes. */
export function parseLine(text: string, where: string): BackupLine {
  const v = parseJson(text, where, 'RESTORE_CORRUPT');
  if (!isObject(v)) throw corrupt(where, 'a line is not a JSON object');
  switch (v['t']) {
    case 'event':
      return { t: 'event', c: conversationId(v['c'], where), e: storedEvent(v['e'], where) };
    case 'file':
      return { t: 'file', file: backupFile(v, where) };
    case 'secret':
      if (typeof v['value'] !== 'string' || !/^[\x21-\x7e]{32,512}$/.test(v['value'])) throw corrupt(where, 'the session secret is not 32–512 printable characters');
      return { t: 'secret', value: v['value'] };
    case 'end': {
      const counts = countsOf(v['counts']);
      if (!counts || typeof v['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(v['sha256'])) throw corrupt(where, 'the trailer lacks its counts or sha256');
      return { t: 'end', counts, sha256: v['sha256'] };
    }
    default:
      throw corrupt(where, `a line of unknown type ${JSON.stringify(String(v['t']).slice(0, 40))}`);
  }
}

export function corrupt(where: string, what: string): BackupError {
  return new BackupError('RESTORE_CORRUPT', `${where}: ${what}; nothing was restored`);
}

function parseJson(text: string, where: string, code: 'RESTORE_NOT_A_BACKUP' | 'RESTORE_CORRUPT'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw code === 'RESTORE_CORRUPT' ? corrupt(where, 'a line is not valid JSON') : new BackupError(code, `${where} is not a Tact backup (its first line is not JSON)`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function countsOf(v: unknown): BackupCounts | null {
  if (!isObject(v)) return null;
  const { conversations, events, messages, files } = v;
  if (!count(conversations) || !count(events) || !count(messages) || !count(files)) return null;
  return { conversations, events, messages, files };
}

/** Conversation ids become file names in a data directory: the store's own rule, so none reaches outside it. */
function conversationId(v: unknown, where: string): string {
  if (typeof v === 'string' && CONVERSATION_ID.test(v)) return v;
  throw new BackupError('RESTORE_BAD_NAME', `${where}: conversation id ${JSON.stringify(String(v).slice(0, 80))} is not 1–64 letters, digits, - or _; nothing was restored`);
}

/** As the stores check what they read back: an object with a kind and a time; a message's number, when it has one, a whole number from 1. */
function storedEvent(v: unknown, where: string): StoredEvent {
  if (!isObject(v) || typeof v['kind'] !== 'string' || typeof v['at'] !== 'string') throw corrupt(where, 'an event is not an object with a kind and a time');
  if (v['kind'] === 'message' && v['seq'] !== undefined && !(Number.isSafeInteger(v['seq']) && (v['seq'] as number) >= 1)) throw corrupt(where, 'a message number is not a whole number from 1');
  // The events were written from StoredEvents by a store; as the stores do when reading their own, only the outline is checked.
  return v as unknown as StoredEvent;
}

const KINDS: Readonly<Record<StoredFile['mime'], StoredFile['kind']>> = { 'image/jpeg': 'image', 'image/png': 'image', 'image/webp': 'image', 'application/pdf': 'pdf' };

function backupFile(v: Record<string, unknown>, where: string): BackupFile {
  const conversation = conversationId(v['c'], where);
  const meta = v['meta'];
  if (!isObject(meta)) throw corrupt(where, 'a file has no description');
  if (typeof meta['id'] !== 'string' || !FILE_ID.test(meta['id'])) {
    throw new BackupError('RESTORE_BAD_NAME', `${where}: file id ${JSON.stringify(String(meta['id']).slice(0, 80))} is not 22 letters, digits, - or _; nothing was restored`);
  }
  const mime = meta['mime'];
  if (typeof mime !== 'string' || !(mime in KINDS) || meta['kind'] !== KINDS[mime as StoredFile['mime']]) throw corrupt(where, `file ${meta['id']} is not a photo or PDF Tact keeps`);
  if (typeof meta['name'] !== 'string' || typeof meta['at'] !== 'string' || (meta['from'] !== 'customer' && meta['from'] !== 'agent')) throw corrupt(where, `file ${meta['id']} lacks its name, time or sender`);
  const bytes = base64(v['bytes'], where, meta['id']);
  if (bytes === null || bytes.length !== meta['size']) throw corrupt(where, `file ${meta['id']}'s bytes are missing or not the ${String(meta['size'])} bytes its description says`);
  const thumb = v['thumb'] === null ? null : base64(v['thumb'], where, meta['id']);
  if (v['thumb'] !== null && thumb === null) throw corrupt(where, `file ${meta['id']}'s thumbnail is not base64`);
  return { conversation, meta: meta as unknown as StoredFile, bytes, thumb };
}

function base64(v: unknown, where: string, id: string): Buffer | null {
  if (typeof v !== 'string') return null;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw corrupt(where, `file ${id} holds bytes that are not base64`);
  return Buffer.from(v, 'base64');
}
