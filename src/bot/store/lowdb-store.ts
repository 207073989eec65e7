/**
 * The default Store: a write-ahead log with group commit (wal.ts) in front
 * of lowdb files, one per conversation (conversations/<id>.json). An append
 * resolves once its batch is fsynced in the log; from time to time (and at
 * start and close) the log is folded into the conversation files and
 * emptied, so a conversation's file holds its history and appending never
 * rewrites more than one short file. The only module that imports lowdb.
 *
 * Each conversation file records the last log sequence number it contains,
 * so folding is idempotent: a crash between writing the files and emptying
 * the log replays nothing twice.
 */
import { existsSync, mkdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile, syncDir } from './durable-file.js';
import { lockDataDir, type DirLock } from './lock.js';
import { checkConversationId, StoreError, type OpenConversation, type Store, type StoredEvent, type StoreHealth } from './store.js';
import { isFinished, openConversation, unfinishedOf } from './unfinished.js';
import { Wal, type WalRecord } from './wal.js';

interface ConversationFile {
  readonly id: string;
  lastSeq: number;
  events: StoredEvent[];
}

/** Fold the log into the conversation files once it holds this many records. */
export const FOLD_EVERY = 5000;
const WAL_FILE = 'wal.log';
const FOLDING_FILE = 'wal.folding.log';

export function openLowdbStore(dataDir: string): Promise<Store> {
  mkdirSync(join(dataDir, 'conversations'), { recursive: true });
  const lock = lockDataDir(dataDir);
  return LowdbStore.open(dataDir, lock).catch((err: unknown) => {
    lock.release();
    throw err;
  });
}

/**
 * Every stored conversation, read without taking the lock: for reports
 * (`tact kb gaps`) while the server runs. Reads the conversation files, then
 * the records still in the logs; a file being replaced at that moment is
 * skipped rather than failing the report.
 */
export async function readAllConversations(dataDir: string): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  const lastSeq = new Map<string, number>();
  const dir = join(dataDir, 'conversations');
  const files = existsSync(dir) ? await readdir(dir) : [];
  for (const f of files.filter((name) => name.endsWith('.json'))) {
    const data = await new DurableJsonFile<ConversationFile>(join(dir, f)).read().catch(() => null);
    if (!data || !Array.isArray(data.events)) continue;
    out.set(data.id, [...data.events]);
    lastSeq.set(data.id, data.lastSeq ?? 0);
  }
  const logs = [...Wal.replay(join(dataDir, FOLDING_FILE)), ...Wal.replay(join(dataDir, WAL_FILE))];
  for (const r of logs) {
    if (r.s <= (lastSeq.get(r.c) ?? 0)) continue;
    const events = out.get(r.c) ?? [];
    events.push(r.e);
    out.set(r.c, events);
  }
  return out;
}

class LowdbStore implements Store {
  /** Records durable in the live log but not yet folded into their conversation's file. */
  private tails = new Map<string, WalRecord[]>();
  /** Records in the log moved aside for the fold under way (wal.folding.log), until their files are written. */
  private foldingTails = new Map<string, WalRecord[]>();
  private readonly wal: Wal;
  private seq: number;
  private unfolded = 0;
  private folding: Promise<void> | null = null;
  private closed = false;
  readonly problems: string[] = [];

  private constructor(
    private readonly dataDir: string,
    private readonly lock: DirLock,
    replayed: readonly WalRecord[],
  ) {
    this.seq = replayed.reduce((m, r) => Math.max(m, r.s), 0);
    for (const r of replayed) this.remember(r);
    this.wal = new Wal(join(dataDir, WAL_FILE), (r) => this.remember(r));
  }

  static async open(dataDir: string, lock: DirLock): Promise<LowdbStore> {
    // A fold cut short by a crash left its records in the aside file; they are older than the live log's.
    const replayed = [...Wal.replay(join(dataDir, FOLDING_FILE)), ...Wal.replay(join(dataDir, WAL_FILE))];
    const store = new LowdbStore(dataDir, lock, replayed);
    await store.foldAtRest();
    return store;
  }

  async append(conversationId: string, event: StoredEvent): Promise<void> {
    this.checkOpen();
    checkConversationId(conversationId);
    await this.wal.append({ s: ++this.seq, c: conversationId, e: event });
    // Folding in the background; if it fails the records stay in the aside log, are replayed at the next start, and nothing is lost.
    if (this.unfolded >= FOLD_EVERY && !this.folding) {
      this.folding = this.foldInBackground()
        .catch((err: unknown) => {
          this.problems.push(`folding the log failed: ${String(err)}`);
        })
        .finally(() => {
          this.folding = null;
        });
    }
  }

  async read(conversationId: string): Promise<readonly StoredEvent[]> {
    this.checkOpen();
    checkConversationId(conversationId);
    const file = await this.file(conversationId);
    const unfolded = [...(this.foldingTails.get(conversationId) ?? []), ...(this.tails.get(conversationId) ?? [])];
    return [...file.data.events, ...unfolded.filter((r) => r.s > file.data.lastSeq).map((r) => r.e)];
  }

  async conversations(): Promise<readonly string[]> {
    this.checkOpen();
    const files = await readdir(join(this.dataDir, 'conversations'));
    const ids = new Set(files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
    for (const id of [...this.foldingTails.keys(), ...this.tails.keys()]) ids.add(id);
    return [...ids];
  }

  /** A first version: problems seen make it degraded; the store's fold and quarantine bookkeeping replace this. */
  health(): StoreHealth {
    return { status: this.problems.length > 0 ? 'degraded' : 'ok', problems: [...this.problems], quarantined: 0, failedFolds: 0 };
  }

  /** Every conversation read and folded: a first version; the store's own index replaces this scan. */
  async unfinished(): Promise<readonly OpenConversation[]> {
    const out: OpenConversation[] = [];
    for (const id of await this.conversations()) {
      const state = unfinishedOf(await this.read(id));
      if (!isFinished(state)) out.push(openConversation(id, state));
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.folding;
      await this.wal.drain();
      await this.foldAtRest();
    } finally {
      this.wal.close();
      this.lock.release();
    }
  }

  private remember(r: WalRecord): void {
    const tail = this.tails.get(r.c);
    if (tail) tail.push(r);
    else this.tails.set(r.c, [r]);
    this.unfolded++;
  }

  /**
   * Moves the live log aside (appends pause only for the swap), writes its
   * records into their conversation files with asynchronous I/O while the
   * chat goes on, then deletes the aside log. Reads meanwhile see the files
   * plus both tails; a file's lastSeq keeps them from counting a record twice.
   */
  private async foldInBackground(): Promise<void> {
    await this.wal.rotate(join(this.dataDir, FOLDING_FILE));
    this.foldingTails = this.tails;
    this.tails = new Map();
    this.unfolded = 0;
    await this.writeFiles(this.foldingTails);
    unlinkSync(join(this.dataDir, FOLDING_FILE));
    this.foldingTails = new Map();
  }

  /** At open and close, with nothing appending: every unfolded record into its file, then both logs emptied. */
  private async foldAtRest(): Promise<void> {
    const all = new Map(this.foldingTails);
    for (const [id, records] of this.tails) all.set(id, [...(all.get(id) ?? []), ...records]);
    await this.writeFiles(all);
    rmSync(join(this.dataDir, FOLDING_FILE), { force: true });
    this.wal.truncate();
    this.tails.clear();
    this.foldingTails = new Map();
    this.unfolded = 0;
  }

  /** Appends each conversation's new records to its file; the directory is synced once at the end, not per file. */
  private async writeFiles(tails: ReadonlyMap<string, readonly WalRecord[]>): Promise<void> {
    for (const [id, records] of tails) {
      const file = await this.file(id);
      const fresh = records.filter((r) => r.s > file.data.lastSeq);
      if (fresh.length === 0) continue;
      file.data.events.push(...fresh.map((r) => r.e));
      file.data.lastSeq = (fresh[fresh.length - 1] as WalRecord).s;
      await file.write();
    }
    await syncDir(join(this.dataDir, 'conversations'));
  }

  /**
   * A conversation's file. One that cannot be read (bad JSON, no events list)
   * is set aside under a new name for inspection and the conversation starts
   * a fresh file: one broken file must not stop the server or lose new messages.
   */
  private async file(id: string): Promise<Low<ConversationFile>> {
    const path = join(this.dataDir, 'conversations', `${id}.json`);
    const db = new Low<ConversationFile>(new DurableJsonFile(path, { syncDir: false }), { id, lastSeq: 0, events: [] });
    try {
      await db.read();
      if (!Array.isArray(db.data?.events)) throw new StoreError('STORE_CORRUPT', 'no events list');
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'STORE_CORRUPT') throw err;
      const aside = `${path}.corrupt-${Date.now()}`;
      renameSync(path, aside);
      this.problems.push(`conversations/${id}.json could not be read (${err.message}); set aside as ${aside} and started afresh`);
      db.data = { id, lastSeq: 0, events: [] };
    }
    db.data.lastSeq ??= 0;
    return db;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }
}
