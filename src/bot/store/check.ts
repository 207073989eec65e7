/**
 * `tact store check`: reads a data directory without changing it (and
 * without its lock, so it runs beside a server) and lists what is damaged,
 * each with the file and line: damaged log records, conversation files that
 * cannot be read, files above the high-water mark, and log records at or
 * below their file's lastSeq that no fold explains. Notes are things that
 * are not damage (a torn last record a crash left, files already set aside).
 */
import { join } from 'node:path';
import { foldCovers, readControl, type Control } from './control.js';
import { wrongShape, type ConversationFile } from './conversation-file.js';
import { CONVERSATIONS, FOLDING_FILE, QUARANTINE, WAL_FILE } from './data-dir.js';
import { DurableJsonFile } from './durable-file.js';
import type { ParsedLog, WalRecord } from './log-record.js';
import { CONVERSATION_ID, StoreError } from './store.js';
import { errorCode, storeFs } from './store-fs.js';
import { Wal } from './wal.js';

export interface Finding {
  /** `wal.log:70`, `conversations/abc.json`, `control.json`. */
  readonly where: string;
  readonly what: string;
}

export interface CheckReport {
  readonly damage: readonly Finding[];
  readonly notes: readonly Finding[];
  readonly conversations: number;
  readonly records: number;
}

export async function checkDataDir(dataDir: string): Promise<CheckReport> {
  const damage: Finding[] = [];
  const notes: Finding[] = [];
  const control = await readControl(dataDir).catch((err: unknown) => {
    damage.push({ where: 'control.json', what: err instanceof StoreError ? err.message : errorCode(err) });
    return null;
  });
  if (!control) notes.push({ where: 'control.json', what: 'missing: a new or first-version data directory; the server makes it at start' });
  const logs = new Map<string, ParsedLog>();
  for (const name of [FOLDING_FILE, WAL_FILE]) {
    const parsed = await Wal.replay(join(dataDir, name));
    if (!parsed) continue;
    logs.set(name, parsed);
    for (const d of parsed.damaged) damage.push({ where: `${name}:${d.line}`, what: `damaged record: ${d.why}; it held ${d.held}` });
    for (const d of parsed.torn) notes.push({ where: `${name}:${d.line}`, what: `a torn last record (a write cut short by a crash, never acknowledged), dropped at the next start; it held ${d.held}` });
  }
  const files = await conversationFiles(dataDir, control, damage, notes);
  checkLogAgainstFiles(logs, files, control, damage);
  const aside = await storeFs.readdir(join(dataDir, QUARANTINE)).catch(() => []);
  if (aside.length > 0) notes.push({ where: `${QUARANTINE}/`, what: `${aside.length} file(s) set aside earlier, kept for inspection` });
  const records = [...logs.values()].reduce((n, l) => n + l.records.length, 0);
  return { damage, notes, conversations: files.size, records };
}

/** Each readable conversation file's lastSeq and events; the unreadable ones are reported. */
async function conversationFiles(dataDir: string, control: Control | null, damage: Finding[], notes: Finding[]): Promise<Map<string, ConversationFile>> {
  const out = new Map<string, ConversationFile>();
  const names = await storeFs.readdir(join(dataDir, CONVERSATIONS)).catch(() => []);
  for (const name of names) {
    const where = `${CONVERSATIONS}/${name}`;
    if (name.startsWith('.') && name.endsWith('.tmp')) {
      notes.push({ where, what: 'a temporary file a crash left mid-write; the file it was replacing is intact' });
      continue;
    }
    const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (!CONVERSATION_ID.test(id)) {
      notes.push({ where, what: 'not a conversation file (ignored by the store)' });
      continue;
    }
    const path = join(dataDir, CONVERSATIONS, name);
    const data = await new DurableJsonFile<ConversationFile>(path).read().catch((err: unknown) => {
      // DurableJsonFile's messages are "<path> is empty" / "<path> is not valid JSON".
      damage.push({ where, what: err instanceof StoreError ? `it ${err.message.slice(path.length + 1)}` : `it cannot be read (${errorCode(err)})` });
      return undefined;
    });
    if (data === undefined || data === null) continue;
    const why = wrongShape(data, id);
    if (why) {
      damage.push({ where, what: `it ${why}` });
      continue;
    }
    const lastSeq = data.lastSeq ?? 0;
    if (control && lastSeq > control.highWater) damage.push({ where, what: `holds seq ${lastSeq}, above the high-water mark ${control.highWater} in control.json` });
    out.set(id, { ...data, lastSeq });
  }
  return out;
}

/** Log records at or below their file's lastSeq that no fold explains (see LowdbStore.keeps). */
function checkLogAgainstFiles(logs: ReadonlyMap<string, ParsedLog>, files: ReadonlyMap<string, ConversationFile>, control: Control | null, damage: Finding[]): void {
  for (const [name, log] of logs) {
    const asideMax = new Map<string, number>();
    if (name === FOLDING_FILE) for (const r of log.records) asideMax.set(r.c, Math.max(asideMax.get(r.c) ?? 0, r.s));
    log.records.forEach((r: WalRecord, i) => {
      const lastSeq = files.get(r.c)?.lastSeq ?? 0;
      if (r.s > lastSeq) return;
      // A first-version data directory (no control file, or records up to rescueThrough): the store keeps these unless the file holds them.
      if (!control || r.s <= control.rescueThrough) return;
      const max = asideMax.get(r.c);
      if (max !== undefined && lastSeq === max && max <= foldCovers(control)) return;
      damage.push({ where: `${name}:${log.lines[i]}`, what: `record seq ${r.s} of conversation ${r.c} is at or below conversations/${r.c}.json's last seq ${lastSeq}, and no fold explains it` });
    });
  }
}
