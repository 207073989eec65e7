/**
 * The file format of a stored build: a JSON header for the structure and the
 * typed arrays (model weights, phrasing vectors) appended as raw bytes, so a
 * 30 MB model loads in one read with no parsing of numbers, and a SHA-256 of
 * everything after it, so a torn or damaged file is told from a good one.
 *
 *   "TACTSNP1" | header length (u32 LE) | sha256 (32 bytes) | header JSON | blobs (each 8-byte aligned)
 *
 * Maps and Sets survive the trip (the KB's teams are a Map); a plain object
 * whose keys start with "$" is wrapped, so no value can pass for a tag.
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';

const MAGIC = Buffer.from('TACTSNP1', 'latin1');
const PREFIX = MAGIC.length + 4 + 32;

const ARRAYS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array, i8: Int8Array } as const;
type ArrayKind = keyof typeof ARRAYS;
type Stored = InstanceType<(typeof ARRAYS)[ArrayKind]>;

interface Header {
  readonly key: string;
  readonly blobs: readonly { readonly kind: ArrayKind; readonly length: number }[];
  readonly value: unknown;
}

export class SnapshotFileError extends Error {}

function kindOf(v: unknown): ArrayKind | undefined {
  return (Object.keys(ARRAYS) as ArrayKind[]).find((k) => v instanceof ARRAYS[k] && v.constructor === ARRAYS[k]);
}

const align8 = (n: number): number => (n + 7) & ~7;

/** The pieces of a snapshot file, in order, without copying the typed arrays: written one by one, a 60 MB model needs no second 60 MB in memory. */
function pieces(key: string, value: unknown): Uint8Array[] {
  const blobs: Stored[] = [];
  const json = JSON.stringify(value, (_k, v: unknown) => {
    const kind = kindOf(v);
    if (kind) return { $blob: blobs.push(v as Stored) - 1 };
    if (v instanceof Map) return { $map: [...(v as Map<unknown, unknown>)] };
    if (v instanceof Set) return { $set: [...(v as Set<unknown>)] };
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('$'))) return { $obj: Object.entries(v) };
    return v;
  });
  if (json === undefined) throw new TypeError('nothing to encode');
  const header = Buffer.from(`{"key":${JSON.stringify(key)},"blobs":${JSON.stringify(blobs.map((b) => ({ kind: kindOf(b), length: b.length })))},"value":${json}}`);
  const body: Uint8Array[] = [header, new Uint8Array(align8(PREFIX + header.length) - PREFIX - header.length)];
  for (const b of blobs) body.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), new Uint8Array(align8(b.byteLength) - b.byteLength));
  const hash = createHash('sha256');
  for (const p of body) hash.update(p);
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(header.length, MAGIC.length);
  hash.digest().copy(prefix, MAGIC.length + 4);
  return [prefix, ...body];
}

/** Encodes `value` (JSON values, Maps, Sets and the typed arrays above) under `key`. */
export function encodeSnapshot(key: string, value: unknown): Buffer {
  return Buffer.concat(pieces(key, value));
}

/** Writes `value` under `key` to an open file, piece by piece; returns the bytes written. */
export function writeSnapshot(fd: number, key: string, value: unknown): number {
  let written = 0;
  for (const p of pieces(key, value)) {
    for (let at = 0; at < p.length; ) at += writeSync(fd, p, at, p.length - at);
    written += p.length;
  }
  return written;
}

/**
 * Decodes a snapshot stored under `key`. Throws SnapshotFileError when the
 * file is not one, is damaged or truncated, or was stored under another key.
 * The typed arrays returned are views of the file's bytes.
 */
export function decodeSnapshot(key: string, file: Buffer): unknown {
  if (file.length < PREFIX || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotFileError('not a Tact snapshot');
  const headerLength = file.readUInt32LE(MAGIC.length);
  const body = file.subarray(PREFIX);
  if (headerLength > body.length || !createHash('sha256').update(body).digest().equals(file.subarray(MAGIC.length + 4, PREFIX))) {
    throw new SnapshotFileError('damaged or truncated');
  }
  const header = JSON.parse(body.subarray(0, headerLength).toString('utf8')) as Header;
  if (header.key !== key) throw new SnapshotFileError('stored under another key');
  // Typed arrays need their element size's alignment: a large file read whole starts its own buffer (offset 0); a small pooled one is copied.
  const bytes = file.byteOffset % 8 === 0 ? new Uint8Array(file.buffer, file.byteOffset, file.length) : Uint8Array.from(file);
  let at = align8(PREFIX + headerLength);
  const arrays = header.blobs.map(({ kind, length }) => {
    // Own keys only: a damaged or forged header naming "__proto__" must be refused, not looked up on Object.
    const Type = Object.hasOwn(ARRAYS, kind) ? ARRAYS[kind] : undefined;
    if (!Type || !Number.isInteger(length) || length < 0 || at + length * Type.BYTES_PER_ELEMENT > bytes.length) throw new SnapshotFileError('damaged or truncated');
    const view = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at += align8(view.byteLength);
    return view;
  });
  return revive(header.value, arrays);
}

function revive(v: unknown, arrays: readonly Stored[]): unknown {
  if (Array.isArray(v)) return v.map((x) => revive(x, arrays));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('$blob' in o) return arrays[o['$blob'] as number];
  if ('$map' in o) return new Map((o['$map'] as [unknown, unknown][]).map(([k, x]) => [revive(k, arrays), revive(x, arrays)]));
  if ('$set' in o) return new Set((o['$set'] as unknown[]).map((x) => revive(x, arrays)));
  const entries = '$obj' in o ? (o['$obj'] as [string, unknown][]) : Object.entries(o);
  return Object.fromEntries(entries.map(([k, x]) => [k, revive(x, arrays)]));
}
