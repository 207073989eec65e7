/**
 * How a write-ahead log record looks on disk, and how a log file is read
 * back: pure functions over bytes, shared by the store, `tact store check`
 * and `tact store repair`.
 *
 * A record is one line: its CRC32C (8 hex digits), a space, then the JSON
 * `{"s": seq, "c": conversation, "e": event}`. The checksum finds a record a
 * crash tore or a disk damaged, byte for byte. Lines the first version wrote
 * (the JSON alone) are still read.
 *
 * Reading keeps every intact record. Damage after the last intact record is
 * a torn tail: a write a crash cut short, whose append never resolved, so it
 * was never acknowledged and is dropped. Damage with intact records after it
 * is reported with its line number and what it held as far as readable.
 */
import { crc32c } from './crc32c.js';
import { CONVERSATION_ID, type StoredEvent } from './store.js';

export interface WalRecord {
  readonly s: number;
  readonly c: string;
  readonly e: StoredEvent;
}

/** A line that is not an intact record. */
export interface DamagedLine {
  /** 1-based line number in its file. */
  readonly line: number;
  /** Its bytes (without the newline). */
  readonly bytes: Buffer;
  readonly why: string;
  /** What it seems to have held, read from its text as far as possible ("seq 3, conversation c1, a message"). */
  readonly held: string;
}

export interface ParsedLog {
  readonly records: readonly WalRecord[];
  /** The line number of each record, for reports. */
  readonly lines: readonly number[];
  /** Damaged lines with intact records after them. */
  readonly damaged: readonly DamagedLine[];
  /** Damaged lines after the last intact record (including a last line with no newline): never acknowledged. */
  readonly torn: readonly DamagedLine[];
  /** Bytes up to the end of the last intact record: where the log goes on. */
  readonly goodLength: number;
}

const CHECKED = /^[0-9a-f]{8} /;

/** The line for a record, with its checksum and the newline. */
export function encodeRecord(record: WalRecord): string {
  const json = JSON.stringify(record);
  return `${crc32c(json).toString(16).padStart(8, '0')} ${json}\n`;
}

type Decoded = { readonly ok: true; readonly record: WalRecord } | { readonly ok: false; readonly why: string };

/** One line's bytes (no newline) as a record, or why not. */
export function decodeRecord(bytes: Buffer): Decoded {
  const head = bytes.subarray(0, 9).toString('latin1');
  let json: Buffer;
  if (CHECKED.test(head)) {
    json = bytes.subarray(9);
    if (crc32c(json) !== Number.parseInt(head.slice(0, 8), 16)) return { ok: false, why: 'its checksum does not match' };
  } else if (bytes[0] === 0x7b) {
    json = bytes; // a first-version record: JSON without a checksum
  } else {
    return { ok: false, why: 'it is not a log record' };
  }
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, why: 'it is not valid JSON' };
  }
  return isRecord(value) ? { ok: true, record: value } : { ok: false, why: 'it lacks a seq, a conversation id or an event' };
}

function isRecord(v: unknown): v is WalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const e = r['e'] as Record<string, unknown> | null | undefined;
  return Number.isSafeInteger(r['s']) && (r['s'] as number) > 0 && typeof r['c'] === 'string' && CONVERSATION_ID.test(r['c']) && typeof e === 'object' && e !== null && typeof e['kind'] === 'string';
}

/** Reads a whole log file's bytes (see the header for what counts as torn and as damaged). */
export function parseLog(buf: Buffer): ParsedLog {
  const records: WalRecord[] = [];
  const lines: number[] = [];
  const bad: DamagedLine[] = [];
  let goodLength = 0;
  let lastGoodLine = 0;
  for (let start = 0, n = 1; start < buf.length; n++) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const bytes = buf.subarray(start, end);
    start = end + 1;
    if (bytes.length === 0) continue;
    const decoded = nl === -1 ? ({ ok: false, why: 'it was cut short (no end of line)' } as const) : decodeRecord(bytes);
    if (decoded.ok) {
      records.push(decoded.record);
      lines.push(n);
      goodLength = end + 1;
      lastGoodLine = n;
    } else {
      bad.push({ line: n, bytes: Buffer.from(bytes), why: decoded.why, held: whatItHeld(bytes) });
    }
  }
  return { records, lines, damaged: bad.filter((d) => d.line < lastGoodLine), torn: bad.filter((d) => d.line > lastGoodLine), goodLength };
}

/** What a damaged record seems to have held, from its text: never its content, which may be personal. */
export function whatItHeld(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const seq = /"s":(\d+)/.exec(text)?.[1];
  const conversation = /"c":"([A-Za-z0-9_-]{1,64})"/.exec(text)?.[1];
  const kind = /"kind":"([a-z]+)"/.exec(text)?.[1];
  const parts = [seq && `seq ${seq}`, conversation && `conversation ${conversation}`, kind && `a ${kind} event`].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? `${parts.join(', ')}; ${bytes.length} bytes` : `${bytes.length} bytes, nothing readable`;
}
