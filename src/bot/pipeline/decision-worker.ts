/**
 * A decision worker thread (decision-pool.ts starts them): holds the index
 * it was last sent and decides with it. A request made against another
 * version of the KB is answered `stale`, and the pool decides it on the
 * main thread with the index the turn started with, so a turn never mixes
 * two versions of the KB.
 */
import { parentPort } from 'node:worker_threads';
import type { TurnResult } from '../core/decide.js';
import { restoreIndex, type FaqIndex, type IndexSnapshot } from '../core/faq-index.js';
import { decideHere, type DecideRequest } from './decider.js';

export type ToWorker = { readonly type: 'index'; readonly version: number; readonly snapshot: IndexSnapshot } | { readonly type: 'decide'; readonly id: number; readonly version: number; readonly request: DecideRequest };

export type FromWorker =
  | { readonly type: 'ready'; readonly version: number }
  | { readonly type: 'decided'; readonly id: number; readonly result: TurnResult | null }
  | { readonly type: 'stale'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

const port = parentPort;
if (!port) throw new Error('decision-worker.ts runs as a worker thread (decision-pool.ts starts it)');
let held: { readonly version: number; readonly index: FaqIndex } | null = null;
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'index':
      held = { version: m.version, index: restoreIndex(m.snapshot) };
      post({ type: 'ready', version: m.version });
      return;
    case 'decide':
      if (held?.version !== m.version) return post({ type: 'stale', id: m.id });
      try {
        post({ type: 'decided', id: m.id, result: decideHere(held.index, m.request) });
      } catch (err) {
        post({ type: 'failed', id: m.id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
  }
});
