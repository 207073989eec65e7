/**
 * The chat's files over HTTP, beside the socket (transport only: keeping
 * and finding a file is pipeline/attachments.ts's):
 *
 *   POST /chat/files        the file as the body; Authorization: Bearer <session token>;
 *                           X-File-Name: its name, percent-encoded (optional)
 *                           → 201 {file: {id, kind, name, size, width?, height?}}
 *   GET  /chat/files/<id>   Authorization: Bearer <session token>; ?thumb=1 for an image's thumbnail
 *   OPTIONS                 the CORS preflight, for pages on TACT_ALLOWED_ORIGINS
 *
 * A file is served only to the session whose conversation holds it (the
 * token proves the session; the id alone finds nothing), with no-sniff and
 * a sandboxing CSP; a PDF only as a download. Refusals are JSON
 * {error: {code, message}}: 401 no valid token, 403 origin, 404, 413 over
 * 10 MB, 415 not a photo or PDF (HEIC included), 422 damaged, too many pixels
 * or a PDF with active content, 429 too many uploads (Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { retryAfterSeconds, type Limiter } from '../../core/rate-limit.js';
import { FileError, MAX_FILE_BYTES, type FileErrorCode } from '../../files/prepare.js';
import type { Logger } from '../../log.js';
import { fileRef, type Attachments } from '../../pipeline/attachments.js';
import { originAllowed } from './origin.js';
import { sendStoredFile } from '../file-response.js';
import type { SessionSigner } from './session.js';

export const FILES_PATH = '/chat/files';
const FILE_PATH = /^\/chat\/files\/([A-Za-z0-9_-]{22})$/;
/** A client this slow to send 10 MB is not uploading a photo. */
const UPLOAD_TIMEOUT_MS = 120_000;

export interface FileRoutesOptions {
  readonly signer: SessionSigner;
  readonly attachments: Attachments;
  readonly allowedOrigins: readonly string[];
  readonly log: Logger;
  readonly now: () => Date;
  /** Uploads per session. */
  readonly uploads: Limiter;
}

const STATUS: Readonly<Record<FileErrorCode, number>> = { FILE_EMPTY: 422, FILE_TOO_BIG: 413, FILE_TYPE: 415, FILE_HEIC: 415, FILE_DIMENSIONS: 422, FILE_BROKEN: 422, FILE_ACTIVE_PDF: 422 };

export function isFilesPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return path === FILES_PATH || FILE_PATH.test(path);
}

export function createFileRoutes(opts: FileRoutesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (!originAllowed(req, opts.allowedOrigins)) return fail(res, 403, 'FORBIDDEN_ORIGIN', "this page's origin may not use the chat; add it to TACT_ALLOWED_ORIGINS");
    cors(req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-File-Name', 'Access-Control-Max-Age': '600' }).end();
    const session = opts.signer.verify(bearer(req), Math.floor(opts.now().getTime() / 1000));
    if (!session) return fail(res, 401, 'UNAUTHORIZED', 'a valid chat session token is needed (Authorization: Bearer <token>)');
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (req.method === 'POST' && url.pathname === FILES_PATH) return await upload(opts, req, res, session.id);
      const id = FILE_PATH.exec(url.pathname)?.[1];
      if (req.method === 'GET' && id) return await download(opts, res, session.id, id, url.searchParams.get('thumb') === '1');
      return fail(res, 405, 'METHOD_NOT_ALLOWED', 'POST /chat/files to upload, GET /chat/files/<id> to fetch');
    } catch (err) {
      if (err instanceof FileError) return fail(res, STATUS[err.code], err.code, err.message);
      opts.log.error('chat.file_failed', { session: session.id, err });
      return fail(res, 500, 'STORE_FAILED', 'the file could not be kept; please try again');
    }
  };
}

async function upload(opts: FileRoutesOptions, req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
  const verdict = await opts.uploads.take(sessionId);
  if (!verdict.ok) {
    const retryAfter = retryAfterSeconds(verdict.retryAfterMs);
    res.setHeader('Retry-After', String(retryAfter));
    return fail(res, 429, 'TOO_MANY_UPLOADS', `too many files from this chat; retry after ${retryAfter} s`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_FILE_BYTES) return tooBig(res);
  const body = await readBody(req);
  if (body === null) return tooBig(res);
  const file = await opts.attachments.keep(sessionId, body, nameOf(req), 'customer');
  opts.log.info('chat.file_kept', { session: sessionId, file: file.id, kind: file.kind, bytes: file.size });
  res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify({ file: fileRef(file) }));
}

async function download(opts: FileRoutesOptions, res: ServerResponse, sessionId: string, id: string, thumb: boolean): Promise<void> {
  const meta = await opts.attachments.find(sessionId, id);
  const bytes = meta ? await opts.attachments.read(sessionId, id, thumb ? 'thumb' : 'file') : null;
  if (!meta || !bytes) return fail(res, 404, 'NOT_FOUND', 'no such file in this chat');
  sendStoredFile(res, meta, bytes, thumb);
}

/** The body, or null once it passes MAX_FILE_BYTES (the rest is not read). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.setTimeout(UPLOAD_TIMEOUT_MS, () => req.destroy(new Error('upload timed out')));
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FILE_BYTES) {
        req.pause();
        return resolve(null);
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooBig(res: ServerResponse): void {
  // The rest of the body is not read: the connection is closed after the answer.
  res.setHeader('Connection', 'close');
  fail(res, 413, 'FILE_TOO_BIG', `the most a file may be is ${MAX_FILE_BYTES / (1024 * 1024)} MB`);
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

function nameOf(req: IncomingMessage): string | null {
  const raw = req.headers['x-file-name'];
  if (typeof raw !== 'string') return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify({ error: { code, message } }));
}
