/**
 * A kept photo or PDF as an HTTP response, the one way every channel serves
 * it (the chat's file route, the admin page): its sniffed type and never
 * another (nosniff), a CSP that runs nothing even if opened directly, a PDF
 * only as a download, and private caching (it is someone's).
 */
import type { ServerResponse } from 'node:http';
import type { StoredFile } from '../store/store.js';

export function sendStoredFile(res: ServerResponse, meta: StoredFile, bytes: Buffer, thumb: boolean): void {
  res.writeHead(200, {
    'Content-Type': thumb ? 'image/jpeg' : meta.mime,
    'Content-Length': String(bytes.length),
    'Content-Disposition': `${meta.kind === 'pdf' && !thumb ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, max-age=86400',
  });
  res.end(bytes);
}
