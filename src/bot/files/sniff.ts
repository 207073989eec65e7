/**
 * What a file really is, from its first bytes (its magic number), never
 * from its name or the type a browser claims: a zip archive named
 * photo.jpg is a zip archive. Only the kinds customers send support (a
 * photo, a screenshot, a receipt as PDF) are accepted; the rest are named
 * so the refusal can say what was sent.
 */
export type Sniffed =
  | { readonly ok: true; readonly type: AcceptedType }
  | { readonly ok: false; readonly seen: 'heic' | 'svg' | 'gif' | 'archive' | 'executable' | 'html' | 'unknown' };

export type AcceptedType = 'jpeg' | 'png' | 'webp' | 'pdf';

const startsWith = (b: Buffer, bytes: readonly number[], at = 0): boolean => bytes.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, from: number, to: number): string => b.subarray(from, to).toString('latin1');

/** The HEIF brands of an iPhone photo (HEIC/HEIF), as opposed to AVIF. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

export function sniff(b: Buffer): Sniffed {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { ok: true, type: 'jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: 'png' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { ok: true, type: 'webp' };
  if (ascii(b, 0, 5) === '%PDF-') return { ok: true, type: 'pdf' };
  if (ascii(b, 4, 8) === 'ftyp' && HEIC_BRANDS.has(ascii(b, 8, 12))) return { ok: false, seen: 'heic' };
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { ok: false, seen: 'gif' };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x1f, 0x8b]) || ascii(b, 0, 4) === 'Rar!' || startsWith(b, [0x37, 0x7a, 0xbc, 0xaf])) return { ok: false, seen: 'archive' };
  if (ascii(b, 0, 2) === 'MZ' || startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { ok: false, seen: 'executable' };
  const head = ascii(b, 0, 512).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return { ok: false, seen: 'svg' };
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<script')) return { ok: false, seen: 'html' };
  return { ok: false, seen: 'unknown' };
}
