/**
 * Decisions in worker threads (TACT_DECISION_WORKERS), so the event loop
 * that reads sockets, stores messages and sends acknowledgements never waits
 * behind the matcher. Each worker holds a copy of the index, sent as a
 * snapshot the first time a turn decides with it (at start, and after each
 * KB reload); until a worker has it, and for a turn that began on an older
 * KB, the decision is made here instead, with the very index the turn holds.
 *
 * A worker that dies (or takes longer than `timeoutMs`, and is stopped) has
 * its decisions made here, and is replaced; one that keeps dying is not
 * replaced again, and every decision is made here. The decision core is
 * pure, so deciding again elsewhere gives the same decision.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TurnResult } from '../core/decide.js';
import { snapshotIndex, type FaqIndex } from '../core/faq-index.js';
import type { Logger } from '../log.js';
import { decideHere, type DecideRequest, type Decider } from './decider.js';
import type { FromWorker, ToWorker } from './decision-worker.js';

export interface DecisionPoolOptions {
  readonly size: number;
  readonly log: Logger;
  /** A decision taking longer than this stops its worker (default 10 s: the core's work is bounded, so only a fault gets there). */
  readonly timeoutMs?: number;
  /** Replacements of one worker allowed in RESTART_WINDOW_MS before it is given up (default 5). */
  readonly maxRestarts?: number;
  /** The worker's script (default decision-worker beside this file; tests give one that fails on purpose). */
  readonly workerUrl?: URL;
}

const TIMEOUT_MS = 10_000;
const RESTART_DELAY_MS = 500;
const RESTART_WINDOW_MS = 60_000;

interface Slot {
  readonly n: number;
  worker: Worker | null;
  /** The index version this worker holds (0: none yet). */
  ready: number;
  inFlight: number;
  restarts: number[];
}

interface Pending {
  readonly slot: Slot;
  readonly index: FaqIndex;
  readonly request: DecideRequest;
  readonly resolve: (r: TurnResult | null) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The worker's own file beside this one: .ts when run from source (tsx), .js when built. */
const WORKER_URL = new URL(`./decision-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export class DecisionPool implements Decider {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private readonly versions = new WeakMap<FaqIndex, number>();
  private latest: { readonly index: FaqIndex; readonly version: number } | null = null;
  private nextVersion = 1;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: DecisionPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError(`a decision pool needs at least one worker, not ${opts.size}`);
    this.slots = Array.from({ length: opts.size }, (_, n) => ({ n, worker: null, ready: 0, inFlight: 0, restarts: [] }));
    for (const slot of this.slots) this.spawn(slot);
  }

  /** How many workers are running (for /healthz and tests). */
  get running(): number {
    return this.slots.filter((s) => s.worker !== null).length;
  }

  /** How many workers hold the newest KB, so take decisions now. */
  get ready(): number {
    const latest = this.latest?.version;
    return this.slots.filter((s) => s.worker !== null && s.ready === latest).length;
  }

  workers(): { readonly running: number; readonly ready: number } {
    return { running: this.running, ready: this.ready };
  }

  decide(index: FaqIndex, request: DecideRequest): Promise<TurnResult | null> {
    const version = this.versionOf(index);
    const slot = this.closed ? undefined : this.pick(version);
    if (!slot?.worker) return Promise.resolve(decideHere(index, request));
    const worker = slot.worker;
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.timedOut(slot, id), this.opts.timeoutMs ?? TIMEOUT_MS);
      this.pending.set(id, { slot, index, request, resolve, reject, timer });
      slot.inFlight++;
      this.post(worker, { type: 'decide', id, version, request });
    });
  }

  /** Sends `index` to the workers now (a new KB), rather than with the first turn that decides with it. */
  prepare(index: FaqIndex): void {
    this.versionOf(index);
  }

  /** Stops every worker; decisions still out are made here. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
    for (const slot of this.slots) slot.worker = null;
    for (const id of [...this.pending.keys()]) this.decideHereInstead(id);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** The version number of `index`, sending it to every worker the first time a newer one is seen. */
  private versionOf(index: FaqIndex): number {
    const known = this.versions.get(index);
    if (known !== undefined) return known;
    const version = this.nextVersion++;
    this.versions.set(index, version);
    this.latest = { index, version };
    if (!this.closed) {
      const message: ToWorker = { type: 'index', version, snapshot: snapshotIndex(index) };
      for (const slot of this.slots) if (slot.worker) this.post(slot.worker, message);
    }
    return version;
  }

  /** The least busy worker holding `version`. */
  private pick(version: number): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.worker && s.ready === version && (!best || s.inFlight < best.inFlight)) best = s;
    return best;
  }

  private spawn(slot: Slot): void {
    const worker = startWorker(this.opts.workerUrl ?? WORKER_URL);
    // The server's own handles keep it alive; a pool nobody closed must not hold a CLI open.
    worker.unref();
    slot.worker = worker;
    slot.ready = 0;
    worker.on('message', (m: FromWorker) => this.heard(slot, m));
    worker.on('error', (err) => this.opts.log.error('decider.worker_failed', { worker: slot.n, err }));
    worker.on('exit', (code) => this.exited(slot, worker, code));
    if (this.latest) this.post(worker, { type: 'index', version: this.latest.version, snapshot: snapshotIndex(this.latest.index) });
  }

  private heard(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') {
      slot.ready = m.version;
      return;
    }
    const p = this.take(m.id);
    if (!p) return;
    switch (m.type) {
      case 'decided':
        return p.resolve(m.result);
      case 'stale':
        return settleHere(p);
      case 'failed':
        return p.reject(new Error(`the decision failed in worker ${slot.n}: ${m.message}`));
    }
  }

  private exited(slot: Slot, worker: Worker, code: number): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    slot.ready = 0;
    for (const [id, p] of [...this.pending]) if (p.slot === slot) this.decideHereInstead(id);
    if (this.closed) return;
    const now = Date.now();
    slot.restarts = [...slot.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (slot.restarts.length > (this.opts.maxRestarts ?? 5)) {
      this.opts.log.error('decider.worker_given_up', { worker: slot.n, code, message: 'this worker kept stopping; its share of decisions is made on the main thread' });
      return;
    }
    this.opts.log.warn('decider.worker_exited', { worker: slot.n, code });
    setTimeout(() => {
      if (!this.closed && slot.worker === null) this.spawn(slot);
    }, RESTART_DELAY_MS).unref();
  }

  private timedOut(slot: Slot, id: number): void {
    if (!this.pending.has(id)) return;
    this.opts.log.error('decider.worker_stuck', { worker: slot.n, ms: this.opts.timeoutMs ?? TIMEOUT_MS });
    // Its exit makes the decisions it held here, this one included.
    void slot.worker?.terminate();
  }

  private decideHereInstead(id: number): void {
    const p = this.take(id);
    if (p) settleHere(p);
  }

  private take(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.slot.inFlight--;
    return p;
  }

  private post(worker: Worker, m: ToWorker): void {
    worker.postMessage(m);
  }
}

/**
 * A worker running `url`. Run from source (tests, `tsx`), the worker is
 * TypeScript, which a worker thread does not load by itself: tsx's API
 * loads it there.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  return new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`, { eval: true });
}

function settleHere(p: Pending): void {
  try {
    p.resolve(decideHere(p.index, p.request));
  } catch (err) {
    p.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
