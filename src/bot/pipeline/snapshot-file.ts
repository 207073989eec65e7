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

/** Encodes `value` (JSON values, Maps, Sets and the typed arrays above) under `key`. */
export function encodeSnapshot(key: string, value: unknown): Buffer {
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
  const body = Buffer.alloc(align8(PREFIX + header.length) - PREFIX + blobs.reduce((n, b) => n + align8(b.byteLength), 0));
  header.copy(body, 0);
  let at = align8(PREFIX + header.length) - PREFIX;
  for (const b of blobs) {
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).copy(body, at);
    at += align8(b.byteLength);
  }
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(header.length, MAGIC.length);
  createHash('sha256').update(body).digest().copy(prefix, MAGIC.length + 4);
  return Buffer.concat([prefix, body]);
}

/**
 * Decodes a snapshot stored under `key`. Throws SnapshotFileError when the
 * file is not one, is damaged or truncated, or was stored under another key.
 * The typed arrays returned are views of one copy of the file's bytes.
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
  // One aligned copy: typed arrays need their element size's alignment, which a Buffer's offset does not promise.
  const bytes = new Uint8Array(file.length);
  bytes.set(file);
  let at = align8(PREFIX + headerLength);
  const arrays = header.blobs.map(({ kind, length }) => {
    const Type = ARRAYS[kind];
    if (!Type || at + length * Type.BYTES_PER_ELEMENT > bytes.length) throw new SnapshotFileError('damaged or truncated');
    const view = new Type(bytes.buffer, at, length);
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
