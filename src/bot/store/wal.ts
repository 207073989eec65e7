/**
 * The write-ahead log behind the store: every append is a JSON line
 * (`{"s": seq, "c": conversation, "e": event}`) in one file, and appends that
 * arrive together share one write and one fsync (group commit). That is what
 * lets durable acknowledgements keep up with a busy chat socket: one fsync per
 * batch, not per message.
 *
 * A crash can leave a torn last line (a write cut short); replay ignores it,
 * since its append never resolved. A malformed line anywhere else is
 * corruption and is reported with its line number.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync } from 'node:fs';
import { storeFs, writeAll } from './store-fs.js';
import type { StoredEvent } from './store.js';
import { StoreError } from './store.js';


export interface WalRecord {
  readonly s: number;
  readonly c: string;
  readonly e: StoredEvent;
}

interface Pending {
  readonly line: string;
  readonly record: WalRecord;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export class Wal {
  private fd: number;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private paused = false;

  /** `onDurable` sees each record once it is on disk, before its append resolves. */
  constructor(
    private readonly path: string,
    private readonly onDurable: (r: WalRecord) => void,
  ) {
    this.fd = openSync(path, 'a');
  }

  /** Records already in the log, in order; a torn last line is dropped. */
  static replay(path: string): WalRecord[] {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines = text.split('\n');
    const records: WalRecord[] = [];
    lines.forEach((line, i) => {
      if (line === '') return;
      try {
        records.push(JSON.parse(line) as WalRecord);
      } catch {
        const last = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
        if (!last) throw new StoreError('STORE_CORRUPT', `${path}:${i + 1} is not a valid log record; the file was left as it is for inspection`);
      }
    });
    return records;
  }

  append(record: WalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, record, resolve, reject });
      this.schedule();
    });
  }

  /** Waits until everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) this.flushing = this.flush();
      await this.flushing;
    }
  }

  /**
   * Moves the log aside under `aside` and goes on in a fresh, empty file.
   * Every record appended before the call is durable in the moved file (and
   * seen by `onDurable`) when it resolves; later ones go to the new file.
   * Appends are held for the moment of the swap only, so the moved file can
   * be folded into the conversation files while the chat goes on.
   */
  async rotate(aside: string): Promise<void> {
    this.paused = true;
    try {
      // What was appended before the call goes into the old file; what comes meanwhile waits for the new one.
      await this.flushing;
      if (this.pending.length > 0) await (this.flushing = this.flush());
      renameSync(this.path, aside);
      closeSync(this.fd);
      this.fd = openSync(this.path, 'a');
    } finally {
      this.paused = false;
      if (this.pending.length > 0) this.schedule();
    }
  }

  /** Empties the log once its records are safe elsewhere (the per-conversation files); only while nothing is appended. */
  truncate(): void {
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.paused) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing && !this.paused) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      // Asynchronous on purpose: while this batch is written and synced in the thread pool, the
      // event loop keeps taking messages, and they form the next batch.
      await writeAll(this.fd, Buffer.from(batch.map((p) => p.line).join('')));
      await storeFs.fdatasync(this.fd);
      for (const p of batch) this.onDurable(p.record);
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
