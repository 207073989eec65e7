/**
 * The write-ahead log behind the store: every append is one checksummed
 * line (see log-record.ts) in one file, and appends that arrive together
 * share one write and one fdatasync (group commit). That is what lets
 * durable acknowledgements keep up with a busy chat socket: one fsync per
 * batch, not per message.
 *
 * Appends are all or nothing. When a batch's write or fdatasync fails, the
 * file is cut back to its last good length before the batch is refused, so
 * no half record is left for a later append to follow. If even that fails
 * the log is "unwritable": every append is refused with a coded error (none
 * is acknowledged) until cutting back succeeds, which each new batch tries
 * first, so the log recovers by itself when the fault clears.
 */
import { parseLog, type ParsedLog, type WalRecord } from './log-record.js';
import { StoreError } from './store.js';
import { errorCode, storeFs, writeAll } from './store-fs.js';

interface Pending {
  readonly line: string;
  readonly record: WalRecord;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export class Wal {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private paused = false;
  /** The cause when the file could not be cut back after a failed write; null when writable. */
  private unwritable: string | null = null;

  /** `onDurable` sees each record once it is on disk, before its append resolves. */
  private constructor(
    private readonly path: string,
    private fd: number,
    private goodLength: number,
    private readonly onDurable: (r: WalRecord) => void,
  ) {}

  /** Opens the log to append after its last intact record (`goodLength`, from `replay`): a torn tail is cut off first. */
  static async open(path: string, goodLength: number, onDurable: (r: WalRecord) => void): Promise<Wal> {
    const fd = await storeFs.open(path, 'a');
    try {
      await storeFs.fchmod(fd, 0o600);
      if ((await storeFs.size(fd)) !== goodLength) {
        await storeFs.ftruncate(fd, goodLength);
        await storeFs.fdatasync(fd);
      }
    } catch (err) {
      await storeFs.close(fd);
      throw err;
    }
    return new Wal(path, fd, goodLength, onDurable);
  }

  /** A log file's records (empty when there is no file); see log-record.ts for torn and damaged lines. */
  static async replay(path: string): Promise<ParsedLog | null> {
    try {
      return parseLog(await storeFs.readFile(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Why appends are refused right now, or null. */
  get fault(): string | null {
    return this.unwritable;
  }

  append(record: WalRecord, line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line, record, resolve, reject });
      this.schedule();
    });
  }

  /** Waits until everything appended so far is on disk (or refused). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) this.flushing = this.flush();
      await this.flushing;
    }
  }

  /**
   * Moves the log aside under `aside` and goes on in a fresh, empty file;
   * `swapped` runs at the moment of the swap. Every record appended before
   * the call is durable in the moved file (and seen by `onDurable`) first;
   * later ones go to the new file. Appends are held for the swap only.
   */
  async rotate(aside: string, swapped: () => void): Promise<void> {
    this.paused = true;
    try {
      await this.flushing;
      if (this.pending.length > 0) await (this.flushing = this.flush());
      await storeFs.rename(this.path, aside);
      let fd: number;
      try {
        fd = await storeFs.open(this.path, 'a');
      } catch (err) {
        // Put the log back where it was, so appends keep going to the file the old descriptor names.
        await storeFs.rename(aside, this.path);
        throw err;
      }
      const old = this.fd;
      this.fd = fd;
      this.goodLength = 0;
      this.unwritable = null;
      swapped();
      await storeFs.close(old).catch(() => undefined);
    } finally {
      this.paused = false;
      if (this.pending.length > 0) this.schedule();
    }
  }

  async close(): Promise<void> {
    await storeFs.close(this.fd);
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
      if (this.unwritable) await this.cutBack(this.unwritable);
      const bytes = Buffer.from(batch.map((p) => p.line).join(''));
      // Asynchronous on purpose: while this batch is written and synced in the thread pool, the
      // event loop keeps taking messages, and they form the next batch.
      try {
        await writeAll(this.fd, bytes);
        await storeFs.fdatasync(this.fd);
      } catch (err) {
        const cause = errorCode(err);
        await this.cutBack(cause);
        throw new StoreError('STORE_WRITE_FAILED', `appending to ${this.path} failed (${cause}); nothing of it was kept`);
      }
      this.goodLength += bytes.length;
      for (const p of batch) this.onDurable(p.record);
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    }
  }

  /** Cuts the file back to its last good length; when that fails too, the log is unwritable until it succeeds. */
  private async cutBack(cause: string): Promise<void> {
    try {
      await storeFs.ftruncate(this.fd, this.goodLength);
      this.unwritable = null;
    } catch (err) {
      this.unwritable = `${cause}, then ${errorCode(err)} cutting it back`;
      throw new StoreError('STORE_UNWRITABLE', `${this.path} cannot be written (${this.unwritable}); appends are refused until it can`);
    }
  }
}
