/**
 * The chat's files over HTTP (the server's /chat/files, beside the socket):
 * uploads with progress, and downloads with the session token, made into
 * blob: URLs so no file is ever at an address someone else could open.
 * What the customer may pick is checked here first (kind and size) so a
 * wrong file is refused at once; the server checks again by content.
 */
import type { FileRef } from '../bot/channels/web/protocol.js';

/** The server's limit, restated for a quick refusal before uploading. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** What the picker offers. HEIC is left out on purpose: iPhones then hand over a JPEG. */
export const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';
const ACCEPTED = new Set(ACCEPT.split(','));

/** Why an upload was refused: the server's code, or what the widget saw first. */
export type UploadError = 'FILE_TOO_BIG' | 'FILE_TYPE' | 'FILE_HEIC' | 'FILE_BROKEN' | 'FILE_DIMENSIONS' | 'FILE_ACTIVE_PDF' | 'FILE_EMPTY' | 'TOO_MANY_UPLOADS' | 'NETWORK' | 'FAILED';

const KNOWN: readonly UploadError[] = ['FILE_TOO_BIG', 'FILE_TYPE', 'FILE_HEIC', 'FILE_BROKEN', 'FILE_DIMENSIONS', 'FILE_ACTIVE_PDF', 'FILE_EMPTY', 'TOO_MANY_UPLOADS'];

/** A refusal the widget can tell before sending a byte, or null. */
export function precheck(file: File): UploadError | null {
  if (file.size === 0) return 'FILE_EMPTY';
  if (file.size > MAX_FILE_BYTES) return 'FILE_TOO_BIG';
  if (/\.hei[cf]$/i.test(file.name) || /image\/hei[cf]/i.test(file.type)) return 'FILE_HEIC';
  // A type the browser does not know is left to the server, which reads the bytes.
  return file.type !== '' && !ACCEPTED.has(file.type) ? 'FILE_TYPE' : null;
}

export class Files {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(
    /** http(s)://…/chat/files */
    private readonly base: string,
    private readonly token: () => string | null,
  ) {}

  /** Uploads a file, reporting progress (0–1); resolves with what the server kept, or rejects with an UploadError. */
  upload(file: File, progress: (done: number) => void): Promise<FileRef> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.base);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token() ?? ''}`);
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
      xhr.onerror = () => reject('NETWORK' satisfies UploadError);
      xhr.onload = () => {
        const body = parse(xhr.responseText);
        if (xhr.status === 201 && body?.file) return resolve(body.file);
        const code = body?.error?.code;
        reject(KNOWN.find((k) => k === code) ?? (xhr.status === 413 ? 'FILE_TOO_BIG' : 'FAILED'));
      };
      xhr.send(file);
    });
  }

  /** A blob: URL for the file (or its thumbnail), fetched once with the session token. */
  url(file: FileRef, thumb: boolean): Promise<string> {
    const key = `${file.id}${thumb ? '.t' : ''}`;
    let url = this.urls.get(key);
    if (url === undefined) {
      url = fetch(`${this.base}/${file.id}${thumb ? '?thumb=1' : ''}`, { headers: { Authorization: `Bearer ${this.token() ?? ''}` } }).then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        return URL.createObjectURL(await res.blob());
      });
      // A failed fetch is tried again next time, not remembered.
      url.catch(() => this.urls.delete(key));
      this.urls.set(key, url);
    }
    return url;
  }
}

function parse(text: string): { file?: FileRef; error?: { code?: string } } | null {
  try {
    return JSON.parse(text) as { file?: FileRef; error?: { code?: string } };
  } catch {
    return null;
  }
}

/** "2.4 MB", "350 KB". */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
