/**
 * The default Store: a write-ahead log with group commit (wal.ts) in front
 * of lowdb files, one per conversation (conversations/<id>.json). An append
 * resolves once its batch is fsynced in the log; from time to time (and at
 * start and close) the log is folded into the conversation files, so a
 * conversation's file holds its history and appending never rewrites more
 * than one short file. The only module that imports lowdb.
 *
 * Nothing acknowledged is lost:
 * - seq never goes backwards: the control file (control.ts) keeps the
 *   high-water mark, written before any file carries a seq above it;
 * - a fold moves the log aside (wal.folding.log) and deletes it only after
 *   its files and the control file are written; a failed fold is logged,
 *   counted, shown on /healthz, and retried (with a backoff) before any
 *   other fold, so no log is ever moved over an unfolded one;
 * - damaged log records are set aside under quarantine/ and reported, and
 *   every intact record is kept; an unreadable conversation file is moved
 *   under quarantine/ and the rest of the store serves.
 * Each conversation file records the last seq it holds, so a fold that a
 * crash cut short is replayed without doubling an event.
 *
 * A redaction (retention, a customer forgotten) folds first, so no log file
 * still holds the old text, then rewrites the one conversation file.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Logger } from '../log.js';
import { CONTROL_FILE, foldCovers, NEW_CONTROL, readControl, writeControl, type Control } from './control.js';
import { wrongShape, type ConversationFile } from './conversation-file.js';
import { crc32c } from './crc32c.js';
import { CONVERSATIONS, conversationPath, FOLDING_FILE, prepareDataDir, QUARANTINE, quarantineConversation, quarantinedConversations, quarantinedCopies, WAL_FILE } from './data-dir.js';
import { DurableJsonFile, syncDir } from './durable-file.js';
import { LOCK_FILE, lockDataDir, type DirLock } from './lock.js';
import { MessageNumbers } from './message-numbers.js';
import { encodeRecord, type DamagedLine, type ParsedLog, type WalRecord } from './log-record.js';
import { checkConversationId, CONVERSATION_ID, redacted, StoreError, type AppendOptions, type ConversationQuery, type OpenConversation, type Store, type StoredEvent, type StoreHealth } from './store.js';
import { errorCode, storeFs, writeAll } from './store-fs.js';
import { FINISHED, isFinished, nextUnfinished, openConversation, type Unfinished } from './unfinished.js';
import { Wal } from './wal.js';

/** Fold the log into the conversation files once it holds this many records. */
export const FOLD_EVERY = 5000;
/** The first retry of a failed fold waits this long, doubling up to MAX_RETRY_MS. */
const FOLD_RETRY_MS = 200;
const MAX_RETRY_MS = 30_000;

export interface LowdbStoreOptions {
  /** Where the store reports what it works around after opening (before that, see `problems`). */
  readonly log?: Logger;
  readonly foldEvery?: number;
  readonly foldRetryMs?: number;
  /**
   * `tact store repair`: a record at or below its file's lastSeq that no fold covers is kept
   * (unless the file holds the same event) instead of being refused as corruption.
   */
  readonly rescue?: boolean;
}

export async function openLowdbStore(dataDir: string, opts: LowdbStoreOptions = {}): Promise<Store> {
  const problems = await prepareDataDir(dataDir);
  const lock = lockDataDir(dataDir);
  try {
    await storeFs.chmod(join(dataDir, LOCK_FILE), 0o600).catch(() => undefined);
    return await LowdbStore.open(dataDir, lock, opts, problems);
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * `tact store repair`: opens the store (which salvages every intact log
 * record and sets damaged ones aside), reads every conversation (which
 * quarantines the files that cannot be read), keeps records numbered below
 * their file unless the file holds them, and records the high-water mark.
 * Refused with STORE_LOCKED while a server holds the directory. Returns what
 * it did and what it could not.
 */
export async function repairLowdbStore(dataDir: string, log?: Logger): Promise<{ readonly done: readonly string[]; readonly failed: readonly string[] }> {
  const problems = await prepareDataDir(dataDir);
  const lock = lockDataDir(dataDir);
  let store: LowdbStore;
  try {
    store = await LowdbStore.open(dataDir, lock, { rescue: true, ...(log ? { log } : {}) }, problems);
  } catch (err) {
    lock.release();
    throw err;
  }
  const failed: string[] = [];
  const why = (err: unknown): string => (err instanceof StoreError ? err.message : errorCode(err));
  for (const id of await store.conversations()) await store.read(id).catch((err: unknown) => failed.push(`conversation ${id}: ${why(err)}`));
  await store.settle().catch((err: unknown) => failed.push(`recording the folded log: ${why(err)}`));
  await store.close();
  return { done: store.problems, failed };
}

/**
 * Every stored conversation, read without taking the lock: for reports
 * (`tact kb gaps`) while the server runs. Reads the conversation files, then
 * the records still in the logs; a file being replaced at that moment, or
 * one that cannot be read, is skipped rather than failing the report.
 */
export async function readAllConversations(dataDir: string): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  const lastSeq = new Map<string, number>();
  const files = await storeFs.readdir(join(dataDir, CONVERSATIONS)).catch(() => []);
  for (const f of files.filter((name) => name.endsWith('.json') && !name.startsWith('.'))) {
    const id = f.slice(0, -'.json'.length);
    const data = await new DurableJsonFile<ConversationFile>(conversationPath(dataDir, id)).read().catch(() => null);
    if (!data || wrongShape(data, id)) continue;
    out.set(id, [...data.events]);
    lastSeq.set(id, data.lastSeq ?? 0);
  }
  const logs = [await Wal.replay(join(dataDir, FOLDING_FILE)), await Wal.replay(join(dataDir, WAL_FILE))];
  for (const r of logs.flatMap((l) => l?.records ?? [])) {
    if (r.s <= (lastSeq.get(r.c) ?? 0)) continue;
    out.set(r.c, [...(out.get(r.c) ?? []), r.e]);
  }
  return out;
}

type Records = Map<string, WalRecord[]>;

/** A conversation's file, loaded. */
interface Loaded {
  readonly path: string;
  readonly db: Low<ConversationFile>;
  /** Its events as JSON, made on demand: whether it already holds a rescued record's event. */
  holds?: Set<string>;
}

class LowdbStore implements Store {
  readonly problems: string[] = [];
  private wal: Wal | null = null;
  private control: Control = NEW_CONTROL;
  private seq = 0;
  /** Each conversation's last message number (message-numbers.ts). */
  private readonly numbers = new MessageNumbers((id) => this.read(id));
  /** Records durable in the live log, by conversation, not yet folded. */
  private tails: Records = new Map();
  private liveCount = 0;
  private liveMax = 0;
  /** Records of the log moved aside for a fold (wal.folding.log), until that fold commits; null when there is no such file. */
  private aside: Records | null = null;
  private asideMax = 0;
  /** Conversations with an open handoff or a pending turn, as of every durable record. */
  private readonly index = new Map<string, Unfinished>();
  private folding: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failedFolds = 0;
  private failingFor = 0;
  private foldFault: string | null = null;
  private quarantined = 0;
  private damageFound = false;
  /** Conversations whose file was found above the high-water mark (reported once each). */
  private readonly aboveHighWater = new Set<string>();
  private closed = false;
  private readonly foldEvery: number;
  private readonly foldRetryMs: number;

  private constructor(
    private readonly dataDir: string,
    private readonly lock: DirLock,
    private readonly opts: LowdbStoreOptions,
  ) {
    this.foldEvery = opts.foldEvery ?? FOLD_EVERY;
    this.foldRetryMs = opts.foldRetryMs ?? FOLD_RETRY_MS;
  }

  static async open(dataDir: string, lock: DirLock, opts: LowdbStoreOptions, problems: readonly string[]): Promise<LowdbStore> {
    const store = new LowdbStore(dataDir, lock, opts);
    store.problems.push(...problems);
    await store.start();
    return store;
  }

  async append(conversationId: string, event: StoredEvent, opts: AppendOptions = {}): Promise<number> {
    this.checkOpen();
    checkConversationId(conversationId);
    await this.numbers.known(conversationId);
    try {
      // Numbered and logged in one synchronous step, so messages are numbered in log order.
      const before = this.numbers.current(conversationId);
      if (opts.expectedSeq !== undefined && opts.expectedSeq !== before) {
        throw new StoreError('STORE_CONFLICT', `conversation ${conversationId}: expected its last message to be ${opts.expectedSeq}, it is ${before}; nothing was stored`);
      }
      const after = this.numbers.take(conversationId, event.kind === 'message');
      const stored: StoredEvent = event.kind === 'message' ? { ...event, seq: after } : event;
      const record: WalRecord = { s: ++this.seq, c: conversationId, e: stored };
      await (this.wal as Wal).append(record, encodeRecord(record));
      if (this.liveCount >= this.foldEvery) this.foldSoon();
      return after;
    } finally {
      this.numbers.settled(conversationId);
    }
  }

  async read(conversationId: string): Promise<readonly StoredEvent[]> {
    this.checkOpen();
    checkConversationId(conversationId);
    const file = await this.file(conversationId);
    const aside = this.aside?.get(conversationId) ?? [];
    const tail = this.tails.get(conversationId) ?? [];
    const unfolded = [...aside.filter((r) => this.keeps(file, r, maxSeq(aside))), ...tail.filter((r) => this.keeps(file, r, null))];
    return [...file.db.data.events, ...unfolded.map((r) => r.e)];
  }

  /**
   * The conversation files, and those with records not yet folded into one.
   * Active since a time: a file last written before it holds no later event
   * (a fold writes a file after the events in it), so only its time is read.
   */
  async conversations(query: ConversationQuery = {}): Promise<readonly string[]> {
    this.checkOpen();
    const dir = join(this.dataDir, CONVERSATIONS);
    const files = (await storeFs.readdir(dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    const since = query.activeSince?.getTime();
    const kept = since === undefined ? files : await filterAsync(files, async (f) => (await modifiedAt(join(dir, f))) >= since);
    const ids = new Set(kept.map((f) => f.slice(0, -'.json'.length)));
    for (const id of [...(this.aside?.keys() ?? []), ...this.tails.keys()]) ids.add(id);
    return [...ids];
  }

  /** From the index the store keeps as records become durable: no conversation file is read. */
  async unfinished(): Promise<readonly OpenConversation[]> {
    this.checkOpen();
    return [...this.index].map(([id, state]) => openConversation(id, state));
  }

  /**
   * Folds first, so every record of the conversation is in its file and the
   * logs that held them are deleted; then rewrites the file (a new file
   * renamed over the old) and deletes the quarantined copies of it. No fold
   * runs meanwhile, so none can write the file between its read and write.
   */
  async redact(conversationId: string, change: (event: StoredEvent) => StoredEvent): Promise<number> {
    this.checkOpen();
    checkConversationId(conversationId);
    while (this.folding) await this.folding;
    // Closed while it waited: close() folds the log itself now, and two folds at once would race over the log files.
    this.checkOpen();
    const run = this.rewrite(conversationId, change);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.folding = done;
    void done.then(() => {
      if (this.folding === done) this.folding = null;
    });
    return run;
  }

  health(): StoreHealth {
    const now = [
      ...(this.foldFault ? [`folding the log into the conversation files is failing (${this.foldFault}); nothing is lost, the records stay in the log and the fold is retried`] : []),
      ...(this.wal?.fault ? [`the log cannot be written (${this.wal.fault}); appends are refused until it can`] : []),
    ];
    const degraded = now.length > 0 || this.quarantined > 0 || this.damageFound || this.aboveHighWater.size > 0;
    return { status: degraded ? 'degraded' : 'ok', problems: [...this.problems, ...now], quarantined: this.quarantined, failedFolds: this.failedFolds };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const wal = this.wal as Wal;
    try {
      // Every fold or redaction under way, including one a redaction started after the first finished.
      while (this.folding) await this.folding;
      await wal.drain();
      await this.foldNow().catch((err: unknown) => {
        this.report(`folding the log at close failed (${errorCode(err)}); its records stay in the log and are folded at the next start`, 'store.fold_failed', { err: errorCode(err) });
      });
    } finally {
      await wal.close().catch(() => undefined);
      this.lock.release();
    }
  }

  /** Folds what is left and writes the control file even when nothing is left to fold, so a raised high-water mark is recorded (repair). */
  async settle(): Promise<void> {
    await this.foldNow();
    const highWater = Math.max(this.control.highWater, this.seq);
    if (highWater !== this.control.highWater) await this.commitControl({ ...this.control, highWater });
  }

  private async rewrite(id: string, change: (event: StoredEvent) => StoredEvent): Promise<number> {
    await (this.wal as Wal).drain();
    await this.foldNow();
    const file = await this.file(id);
    const { events, changed } = redacted(id, file.db.data.events, change);
    const count = changed.filter(Boolean).length;
    if (count > 0) {
      file.db.data.events = events;
      await file.db.write();
      await syncDir(join(this.dataDir, CONVERSATIONS));
    }
    for (const copy of await quarantinedCopies(this.dataDir, id)) await storeFs.unlink(copy);
    return count;
  }

  // ── opening ──────────────────────────────────────────────────────────────

  private async start(): Promise<void> {
    const control = await this.readControlOrSetAside();
    const folding = await this.replay(FOLDING_FILE);
    const live = await this.replay(WAL_FILE);
    const logged = [...(folding?.records ?? []), ...(live?.records ?? [])];
    const logMax = logged.reduce((m, r) => Math.max(m, r.s), 0);
    this.control = control ?? (await this.upgrade(logMax));
    this.seq = Math.max(this.control.highWater, logMax);
    if (folding) [this.aside, this.asideMax] = [group(folding.records), maxSeq(folding.records)];
    for (const [id, state] of Object.entries(this.control.unfinished)) this.index.set(id, state);
    const files = new Map<string, Loaded>();
    for (const r of logged) if (await this.indexes(r, files)) this.indexRecord(this.index, r);
    for (const r of live?.records ?? []) this.remember(r, false);
    this.quarantined = await quarantinedConversations(this.dataDir);
    this.wal = await Wal.open(join(this.dataDir, WAL_FILE), live?.goodLength ?? 0, (r) => this.remember(r, true));
    await this.foldNow().catch((err: unknown) => this.foldFailed(err));
  }

  /** The control file; a damaged one is moved under quarantine/ and rebuilt as for an upgrade. */
  private async readControlOrSetAside(): Promise<Control | null> {
    try {
      return await readControl(this.dataDir);
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'STORE_CORRUPT') throw err;
      const to = join(this.dataDir, QUARANTINE, `${CONTROL_FILE}.${Date.now()}`);
      await storeFs.rename(join(this.dataDir, CONTROL_FILE), to);
      this.damageFound = true;
      this.report(`${err.message}; moved to ${to} and rebuilt from the conversation files`, 'store.control_damaged', {});
      return null;
    }
  }

  /**
   * A data directory without a control file (new, or written by the first
   * version): one scan of the conversation files for the high-water mark and
   * the unfinished index. Log records up to `logMax` may have been numbered
   * below their file by the first version's restarts: they are rescued.
   */
  private async upgrade(logMax: number): Promise<Control> {
    const files = await storeFs.readdir(join(this.dataDir, CONVERSATIONS));
    let highWater = 0;
    const unfinished: Record<string, Unfinished> = {};
    for (const f of files.filter((name) => name.endsWith('.json') && !name.startsWith('.'))) {
      const id = f.slice(0, -'.json'.length);
      if (!validId(id)) continue;
      const file = await this.file(id, false);
      highWater = Math.max(highWater, file.db.data.lastSeq);
      const state = file.db.data.events.reduce(nextUnfinished, FINISHED);
      if (!isFinished(state)) unfinished[id] = state;
    }
    const control: Control = { ...NEW_CONTROL, highWater, rescueThrough: logMax, unfinished };
    await writeControl(this.dataDir, control);
    if (files.length > 0) this.opts.log?.info('store.upgraded', { message: `a data directory without a control file: made ${CONTROL_FILE} from ${files.length} conversation files`, highWater });
    return control;
  }

  /** A log's records; damaged lines are kept under quarantine/ and reported, a torn tail is dropped (its append never resolved). */
  private async replay(name: string): Promise<ParsedLog | null> {
    const parsed = await Wal.replay(join(this.dataDir, name));
    if (!parsed) return null;
    if (parsed.damaged.length > 0) {
      this.damageFound = true;
      const aside = await this.keepDamaged(name, parsed.damaged);
      for (const d of parsed.damaged) {
        this.report(`${name}:${d.line} is a damaged record (${d.why}; it held ${d.held}); every intact record around it was kept, its bytes are in ${aside}`, 'store.damaged_record', { file: name, line: d.line });
      }
    }
    if (parsed.torn.length > 0) this.opts.log?.info('store.torn_tail', { file: name, lines: parsed.torn.map((d) => d.line), message: 'a write cut short by a crash, never acknowledged; dropped' });
    return parsed;
  }

  /** Writes damaged lines to quarantine/<log>.<crc>.damaged, named by their checksum so a replay after a crash writes the same file. */
  private async keepDamaged(name: string, damaged: readonly DamagedLine[]): Promise<string> {
    const bytes = Buffer.concat(damaged.flatMap((d) => [d.bytes, Buffer.from('\n')]));
    const path = join(this.dataDir, QUARANTINE, `${name}.${crc32c(bytes).toString(16).padStart(8, '0')}.damaged`);
    const fd = await storeFs.open(path, 'w');
    try {
      await storeFs.fchmod(fd, 0o600);
      await writeAll(fd, bytes);
      await storeFs.fsync(fd);
    } finally {
      await storeFs.close(fd);
    }
    return path;
  }

  /** Whether a replayed record moves the index on from the control file's copy (taken as of `folded`). */
  private async indexes(r: WalRecord, files: Map<string, Loaded>): Promise<boolean> {
    if (r.s <= this.control.folded) return false;
    if (r.s > this.control.rescueThrough) return true;
    // A first-version record: counted unless its file already holds it (the upgrade scan counted those).
    const file = files.get(r.c) ?? (await this.file(r.c));
    files.set(r.c, file);
    return r.s > file.db.data.lastSeq || !holds(file, r.e);
  }

  // ── appending and the index ─────────────────────────────────────────────

  private remember(r: WalRecord, durableNow: boolean): void {
    const tail = this.tails.get(r.c);
    if (tail) tail.push(r);
    else this.tails.set(r.c, [r]);
    this.liveCount++;
    this.liveMax = Math.max(this.liveMax, r.s);
    if (durableNow) this.indexRecord(this.index, r);
  }

  private indexRecord(index: Map<string, Unfinished>, r: WalRecord): void {
    const next = nextUnfinished(index.get(r.c) ?? FINISHED, r.e);
    if (isFinished(next)) index.delete(r.c);
    else index.set(r.c, next);
  }

  // ── folding ──────────────────────────────────────────────────────────────

  private foldSoon(): void {
    if (this.folding || this.retryTimer || this.closed) return;
    this.folding = this.foldNow()
      .then(
        () => this.foldSucceeded(),
        (err: unknown) => this.foldFailed(err),
      )
      .finally(() => {
        this.folding = null;
        if (!this.foldFault && this.liveCount >= this.foldEvery) this.foldSoon();
      });
  }

  /** A fold left over from a failure (wal.folding.log) first; then the live log moved aside and folded. */
  private async foldNow(): Promise<void> {
    if (this.aside) await this.foldAside();
    if (this.tails.size === 0) return;
    await (this.wal as Wal).rotate(join(this.dataDir, FOLDING_FILE), () => {
      [this.aside, this.asideMax] = [this.tails, this.liveMax];
      this.tails = new Map();
      this.liveCount = 0;
    });
    await this.foldAside();
  }

  /**
   * Writes the aside log's records into their files, then commits: the
   * control file says they are folded, and only then is the aside log
   * deleted. A failure anywhere leaves the aside log and `aside` as they
   * were, for the retry.
   */
  private async foldAside(): Promise<void> {
    const aside = this.aside as Records;
    const through = Math.max(this.asideMax, this.control.folded);
    const highWater = Math.max(this.control.highWater, through, this.seqSeenInFiles());
    if (this.control.folding !== through || this.control.highWater !== highWater) {
      await this.commitControl({ ...this.control, highWater, folding: through });
    }
    const already = await this.writeFiles(aside);
    const unfinished = new Map(Object.entries(this.control.unfinished));
    for (const records of aside.values()) {
      for (const r of records) if (r.s > this.control.folded && !(r.s <= this.control.rescueThrough && already.has(r.s))) this.indexRecord(unfinished, r);
    }
    await this.commitControl({ ...this.control, folded: through, folding: null, unfinished: Object.fromEntries(unfinished) });
    await storeFs.unlink(join(this.dataDir, FOLDING_FILE)).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    });
    await syncDir(this.dataDir);
    this.aside = null;
  }

  private async commitControl(c: Control): Promise<void> {
    await writeControl(this.dataDir, c);
    this.control = c;
  }

  /**
   * Appends each conversation's new records to its file; the directory is
   * synced once at the end, not per file. Returns the seqs the files
   * already held (a fold a crash cut short, or a rescue already made).
   */
  private async writeFiles(records: Records): Promise<Set<number>> {
    const already = new Set<number>();
    for (const [id, list] of records) {
      const file = await this.file(id);
      const fresh: WalRecord[] = [];
      for (const r of list) {
        if (this.keeps(file, r, maxSeq(list))) fresh.push(r);
        else already.add(r.s);
      }
      if (fresh.length === 0) continue;
      const rescued = fresh.filter((r) => r.s <= file.db.data.lastSeq).length;
      file.db.data.events.push(...fresh.map((r) => r.e));
      file.db.data.lastSeq = Math.max(file.db.data.lastSeq, ...fresh.map((r) => r.s));
      await file.db.write();
      file.holds = undefined;
      if (rescued > 0) this.report(`conversations/${id}.json: kept ${rescued} record(s) numbered at or below its last seq that it did not hold (written by a first-version restart)`, 'store.rescued', { conversation: id, records: rescued });
    }
    await syncDir(join(this.dataDir, CONVERSATIONS));
    return already;
  }

  /**
   * Whether a record still has to go into (or be read after) its file. A
   * record at or below the file's lastSeq is expected in one case only: it
   * is in the aside log, a fold the control file records (folded or
   * folding) covers it, and that fold wrote this file — the file's lastSeq
   * is then exactly the conversation's last seq in the aside log (`asideMax`;
   * null for a record of the live log). Anywhere else it is corruption:
   * reported, never skipped.
   */
  private keeps(file: Loaded, r: WalRecord, asideMax: number | null): boolean {
    const lastSeq = file.db.data.lastSeq;
    if (r.s > lastSeq) return true;
    if (r.s <= this.control.rescueThrough || this.opts.rescue) return !holds(file, r.e);
    if (asideMax !== null && lastSeq === asideMax && asideMax <= foldCovers(this.control)) return false;
    throw new StoreError('STORE_CORRUPT', `${file.path}: log record seq ${r.s} is at or below the file's last seq ${lastSeq}, and no fold covers it; it is kept in the log (see \`tact store check\`)`);
  }

  private foldSucceeded(): void {
    if (this.foldFault) this.opts.log?.info('store.fold_recovered', { failedFolds: this.failedFolds });
    this.foldFault = null;
    this.failingFor = 0;
  }

  private foldFailed(err: unknown): void {
    this.failedFolds++;
    this.failingFor++;
    const code = errorCode(err);
    if (!this.foldFault) this.problems.push(`folding the log failed (${code}); retried until it succeeds, nothing is lost meanwhile`);
    this.foldFault = err instanceof StoreError ? err.message : code;
    this.opts.log?.error('store.fold_failed', { err: code, failedFolds: this.failedFolds, message: 'the records stay in the log; retrying' });
    if (this.closed) return;
    const delay = Math.min(MAX_RETRY_MS, this.foldRetryMs * 2 ** (this.failingFor - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.foldSoon();
    }, delay);
    this.retryTimer.unref();
  }

  // ── conversation files ──────────────────────────────────────────────────

  /**
   * A conversation's file (an empty one when there is none). A file that
   * cannot be read — no permission, not JSON, empty, the wrong shape — is
   * moved under quarantine/, logged with its id and counted; the
   * conversation goes on in a new file, so new messages still append.
   */
  private async file(id: string, verify = true): Promise<Loaded> {
    const path = conversationPath(this.dataDir, id);
    const db = new Low<ConversationFile>(new DurableJsonFile(path, { syncDir: false }), { id, lastSeq: 0, events: [] });
    try {
      await db.read();
      const why = wrongShape(db.data, id);
      if (why) throw new StoreError('STORE_CORRUPT', `${path} ${why}`);
    } catch (err) {
      if (!unreadable(err)) throw err;
      await this.quarantine(id, err);
      db.data = { id, lastSeq: 0, events: [] };
    }
    db.data.lastSeq ??= 0;
    if (verify && db.data.lastSeq > this.control.highWater) this.noteAboveHighWater(id, db.data.lastSeq);
    return { path, db };
  }

  private async quarantine(id: string, err: unknown): Promise<void> {
    const why = err instanceof StoreError ? err.message : `${errorCode(err)} reading it`;
    let to: string;
    try {
      to = await quarantineConversation(this.dataDir, id);
    } catch (moveErr) {
      // Moved aside a moment ago by a read or fold running beside this one.
      if ((moveErr as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StoreError('STORE_CORRUPT', `conversations/${id}.json cannot be read (${why}) nor moved aside (${errorCode(moveErr)})`);
    }
    this.quarantined++;
    this.report(`conversation ${id}: its file could not be read (${why}); moved to ${to}; new messages go on in a new file`, 'store.quarantined', { conversation: id, movedTo: to });
  }

  /** A file above the high-water mark (a control file restored from an older copy?): seq moves above it, and it is reported. */
  private noteAboveHighWater(id: string, lastSeq: number): void {
    this.seq = Math.max(this.seq, lastSeq);
    if (this.aboveHighWater.has(id)) return;
    this.aboveHighWater.add(id);
    this.report(`conversations/${id}.json holds seq ${lastSeq}, above the high-water mark ${this.control.highWater} in ${CONTROL_FILE}; new records are numbered above it`, 'store.above_high_water', { conversation: id, lastSeq });
  }

  private seqSeenInFiles(): number {
    return this.aboveHighWater.size > 0 ? this.seq : 0;
  }

  /** Records a problem and logs it. */
  private report(problem: string, event: string, fields: Readonly<Record<string, unknown>>): void {
    this.problems.push(problem);
    this.opts.log?.error(event, { ...fields, problem });
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }
}

function group(records: readonly WalRecord[]): Records {
  const out: Records = new Map();
  for (const r of records) {
    const list = out.get(r.c);
    if (list) list.push(r);
    else out.set(r.c, [r]);
  }
  return out;
}

function maxSeq(records: readonly WalRecord[]): number {
  return records.reduce((m, r) => Math.max(m, r.s), 0);
}

function holds(file: Loaded, e: StoredEvent): boolean {
  file.holds ??= new Set(file.db.data.events.map((x) => JSON.stringify(x)));
  return file.holds.has(JSON.stringify(e));
}

/** Errors that mean this file will not be readable however often it is tried (unlike EMFILE or EIO). */
function unreadable(err: unknown): boolean {
  if (err instanceof StoreError) return err.code === 'STORE_CORRUPT';
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EISDIR';
}

function validId(id: string): boolean {
  return CONVERSATION_ID.test(id);
}

/** A file's last write in ms; +Infinity when it cannot be read now (it is then listed, never left out). */
async function modifiedAt(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => Number.POSITIVE_INFINITY,
  );
}

async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const verdicts = await Promise.all(items.map(keep));
  return items.filter((_, i) => verdicts[i]);
}
