/**
 * Promises with a time on them, kept in the store: a task is stored before
 * anyone is told it will happen, survives restarts, and runs once. A timer
 * only wakes the scheduler; what is due is always read from what is stored.
 *
 *   tasks-<YYYYMM>  the tasks due that UTC month: scheduled, then settled (ran or cancelled)
 *   task-months     the index: a month is announced (live) before its first task is stored, and
 *                   closed once it is over and every task in it settled
 *
 * A start reads the index and the months still live, never the whole
 * history. Only one process runs tasks (alone, or the cluster's leader); it
 * reads the live months again at every tick, so a task another instance
 * stored is found. A task runs, then its settling is stored: a crash between
 * the two runs it again at the next start, so every job is written to do
 * nothing the second time (the follow-up looks for its own mark first).
 * A job that fails is logged and tried again at the next tick.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Store, StoredEvent, StoredJob, StoredTask } from '../store/store.js';

export const TASK_MONTHS_LOG = 'task-months';
/** How often the scheduler looks for due tasks (and, clustered, for tasks other instances stored). */
export const TICK_MS = 30_000;
/** A month is closed only this long after it ended: instances' clocks differ a little. */
const GRACE_MS = 60 * 60_000;

export type RunJob = (task: StoredTask) => Promise<void>;

export interface SchedulerOptions {
  readonly store: Store;
  readonly run: RunJob;
  readonly now: () => Date;
  readonly log: Logger;
  /** Whether this process runs the tasks (default: yes; clustered, only the leader). */
  readonly leads?: () => boolean;
}

/** The log of tasks due in `due`'s UTC month. */
export function monthLog(due: Date): string {
  return `tasks-${due.toISOString().slice(0, 7).replace('-', '')}`;
}

export class Scheduler {
  /** Tasks stored and not settled, by id, as last read (and as this process stored them since). */
  private readonly open = new Map<string, StoredTask>();
  /** Month logs the index says are live. */
  private readonly live = new Set<string>();
  /** Month logs this process announced in the index. */
  private readonly announced = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;

  constructor(private readonly opts: SchedulerOptions) {}

  /** Stores a job due at `due` (a time already past runs at the next tick) and returns its task. */
  async schedule(job: StoredJob, due: Date): Promise<StoredTask> {
    // Never in a month that may be closed already: a time past is due now.
    const when = new Date(Math.max(due.getTime(), this.opts.now().getTime()));
    const task: StoredTask = { id: randomUUID(), due: when.toISOString(), job };
    const log = monthLog(when);
    if (!this.announced.has(log)) {
      await this.opts.store.append(TASK_MONTHS_LOG, { kind: 'task', at: this.at(), op: 'month', month: log, live: true });
      this.announced.add(log);
      this.live.add(log);
    }
    await this.opts.store.append(log, { kind: 'task', at: this.at(), op: 'scheduled', task });
    this.open.set(task.id, task);
    return task;
  }

  /** Settles a task without running it (what it promised no longer applies). */
  async cancel(task: StoredTask): Promise<void> {
    await this.opts.store.append(monthLog(new Date(task.due)), { kind: 'task', at: this.at(), op: 'settled', id: task.id, how: 'cancelled' });
    this.open.delete(task.id);
  }

  /** Tasks stored and not settled, due first. */
  pending(): readonly StoredTask[] {
    return [...this.open.values()].sort((a, b) => a.due.localeCompare(b.due));
  }

  /** Reads the index and the live months, then ticks every `everyMs` (0: never; tests call `tick`). */
  async start(everyMs = TICK_MS): Promise<void> {
    await this.read();
    if (everyMs <= 0) return;
    const loop = (): void => {
      this.timer = setTimeout(() => void this.tick().catch((err: unknown) => this.opts.log.error('scheduler.tick_failed', { err })).finally(() => this.timer && loop()), everyMs);
      this.timer.unref();
    };
    loop();
  }

  /** Stops the timer; resolves once a tick under way has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
  }

  /** Runs every task due now, oldest first, if this process runs tasks; resolves with how many ran. One tick at a time. */
  tick(): Promise<number> {
    this.ticking ??= this.runDue().finally(() => (this.ticking = null));
    return this.ticking;
  }

  /** Ticks now rather than at the next tick (a task just stored is due now): once more after a tick under way, which may have missed it. */
  tickSoon(): void {
    const again = this.ticking !== null;
    void this.tick()
      .then(() => (again ? this.tick() : 0))
      .catch((err: unknown) => this.opts.log.error('scheduler.tick_failed', { err }));
  }

  private async runDue(): Promise<number> {
    if (!(this.opts.leads?.() ?? true)) return 0;
    await this.read();
    const now = this.opts.now().getTime();
    let ran = 0;
    for (const task of this.pending()) {
      if (Date.parse(task.due) > now) break;
      try {
        await this.opts.run(task);
        await this.opts.store.append(monthLog(new Date(task.due)), { kind: 'task', at: this.at(), op: 'settled', id: task.id, how: 'ran' });
        this.open.delete(task.id);
        ran++;
      } catch (err) {
        this.opts.log.error('scheduler.task_failed', { task: task.id, job: task.job.kind, err });
      }
    }
    await this.closeMonths(now);
    return ran;
  }

  /** The index, then every live month's tasks not settled. */
  private async read(): Promise<void> {
    for (const e of await this.opts.store.read(TASK_MONTHS_LOG)) {
      if (e.kind !== 'task' || e.op !== 'month') continue;
      if (e.live) this.live.add(e.month);
      else this.live.delete(e.month);
    }
    for (const log of this.live) this.readMonth(log, await this.opts.store.read(log));
  }

  private readMonth(log: string, events: readonly StoredEvent[]): void {
    const settled = new Set<string>();
    for (const e of events) if (e.kind === 'task' && e.op === 'settled') settled.add(e.id);
    for (const e of events) {
      if (e.kind !== 'task' || e.op !== 'scheduled') continue;
      if (settled.has(e.task.id)) this.open.delete(e.task.id);
      else this.open.set(e.task.id, e.task);
    }
    // Settled through another process since this one stored it: forget it here too.
    for (const [id, task] of this.open) if (monthLog(new Date(task.due)) === log && settled.has(id)) this.open.delete(id);
  }

  /** Closes the months that are over (with grace) and hold no task left to run. */
  private async closeMonths(now: number): Promise<void> {
    const over = monthLog(new Date(now - GRACE_MS));
    for (const log of [...this.live]) {
      if (log >= over || [...this.open.values()].some((t) => monthLog(new Date(t.due)) === log)) continue;
      await this.opts.store.append(TASK_MONTHS_LOG, { kind: 'task', at: this.at(), op: 'month', month: log, live: false });
      this.live.delete(log);
    }
  }

  private at(): string {
    return this.opts.now().toISOString();
  }
}
