/**
 * A customer's upload, checked and made safe before anything keeps it:
 *
 *   - what it is comes from its bytes (sniff.ts): JPEG, PNG, WebP or PDF, up to 10 MB;
 *   - an image is decoded (at most MAX_PIXELS, so a small file that unpacks to a
 *     gigapixel canvas is refused before it is), turned upright, and written out
 *     afresh: what is kept is the encoder's output, so EXIF (GPS position, camera
 *     serial) and anything smuggled after the picture (a polyglot's script or zip)
 *     are gone; a thumbnail is made for the chat and the agents;
 *   - a PDF cannot be rewritten, so one that carries active content (JavaScript,
 *     launch actions, embedded files) is refused, and every PDF is served as a
 *     download, never shown inline (file-routes.ts).
 *
 * An iPhone photo arrives as JPEG from the widget (browsers convert HEIC when
 * the picker does not ask for it); real HEIC bytes are refused with a clear word.
 */
import sharp from 'sharp';
import { sniff, type AcceptedType } from './sniff.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** 50 megapixels: above any phone camera's photo, far below what would exhaust memory to decode. */
export const MAX_PIXELS = 50_000_000;
/** Longest side of a kept image, and of its thumbnail. */
const KEPT_PX = 4096;
export const THUMB_PX = 320;

export type FileKind = 'image' | 'pdf';

export interface PreparedFile {
  readonly kind: FileKind;
  readonly mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  readonly bytes: Buffer;
  /** A JPEG thumbnail (images only). */
  readonly thumb: Buffer | null;
  readonly width: number | null;
  readonly height: number | null;
}

/**
 * FILE_EMPTY, FILE_TOO_BIG (over 10 MB), FILE_TYPE (not a JPEG, PNG, WebP or PDF, whatever its name),
 * FILE_HEIC (an iPhone photo not converted), FILE_DIMENSIONS (over MAX_PIXELS), FILE_BROKEN (not a readable
 * image or PDF), FILE_ACTIVE_PDF (a PDF with scripts, launch actions or embedded files).
 */
export type FileErrorCode = 'FILE_EMPTY' | 'FILE_TOO_BIG' | 'FILE_TYPE' | 'FILE_HEIC' | 'FILE_DIMENSIONS' | 'FILE_BROKEN' | 'FILE_ACTIVE_PDF';

export class FileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileError';
  }
}

const MIME: Readonly<Record<AcceptedType, PreparedFile['mime']>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };
/** Names in a PDF of what can run or carry other files. */
const ACTIVE_PDF = /\/(?:JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|SubmitForm|ImportData)\b/;

export async function prepareFile(bytes: Buffer): Promise<PreparedFile> {
  if (bytes.length === 0) throw new FileError('FILE_EMPTY', 'the file is empty');
  if (bytes.length > MAX_FILE_BYTES) throw new FileError('FILE_TOO_BIG', `the file is ${megabytes(bytes.length)} MB; the most is ${megabytes(MAX_FILE_BYTES)} MB`);
  const sniffed = sniff(bytes);
  if (!sniffed.ok) {
    if (sniffed.seen === 'heic') throw new FileError('FILE_HEIC', 'HEIC photos cannot be read here: send it as JPEG (on an iPhone, Settings → Camera → Formats → Most Compatible, or share it as a screenshot)');
    throw new FileError('FILE_TYPE', `only photos (JPEG, PNG, WebP) and PDF files can be sent; this file is ${sniffed.seen === 'unknown' ? 'of another kind' : `${sniffed.seen === 'svg' ? 'an SVG image' : `an ${sniffed.seen} file`}`}`);
  }
  return sniffed.type === 'pdf' ? preparePdf(bytes) : prepareImage(bytes, sniffed.type);
}

function preparePdf(bytes: Buffer): PreparedFile {
  const text = bytes.toString('latin1');
  if (!text.slice(-2048).includes('%%EOF')) throw new FileError('FILE_BROKEN', 'the PDF is incomplete (it has no end marker)');
  if (ACTIVE_PDF.test(text)) throw new FileError('FILE_ACTIVE_PDF', 'the PDF holds scripts, actions or embedded files; please send a plain PDF or a screenshot');
  return { kind: 'pdf', mime: 'application/pdf', bytes, thumb: null, width: null, height: null };
}

async function prepareImage(bytes: Buffer, type: Exclude<AcceptedType, 'pdf'>): Promise<PreparedFile> {
  const input = (): sharp.Sharp => sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error', sequentialRead: true });
  let meta: sharp.Metadata;
  try {
    meta = await input().metadata();
  } catch (err) {
    throw imageError(err);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_PIXELS) throw new FileError('FILE_DIMENSIONS', `the image is ${meta.width}×${meta.height} pixels; the most is ${MAX_PIXELS / 1_000_000} megapixels`);
  try {
    // rotate() turns the picture as its EXIF says before the EXIF is dropped (sharp keeps no metadata unless asked).
    const upright = input().rotate().resize({ width: KEPT_PX, height: KEPT_PX, fit: 'inside', withoutEnlargement: true });
    const encoded = type === 'png' ? upright.png() : type === 'webp' ? upright.webp({ quality: 90 }) : upright.jpeg({ quality: 90, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer();
    return { kind: 'image', mime: MIME[type], bytes: data, thumb, width: info.width, height: info.height };
  } catch (err) {
    throw imageError(err);
  }
}

function imageError(err: unknown): FileError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new FileError('FILE_DIMENSIONS', `the image is larger than ${MAX_PIXELS / 1_000_000} megapixels`);
  return new FileError('FILE_BROKEN', 'the image could not be read (it may be damaged or only partly uploaded)');
}

function megabytes(n: number): string {
  return (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
