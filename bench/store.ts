/**
 * The benchmark's store section: what a durable append costs once history
 * has grown (issue 4: 100k stored messages, p99 write ≤ 5 ms), for Tact's
 * store and for lowdb used plainly (one JSON file, rewritten on every write).
 * Both write to a fresh temporary directory on this machine's disk.
 *
 *   history  100,000 messages over 10,000 conversations, written first
 *   then     2,000 appends one at a time (latency), and 20,000 appended
 *            together over 200 conversations (throughput, group commit)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSONFilePreset } from 'lowdb/node';
import { round } from '../src/bot/core/faq-outcome.js';
import { openLowdbStore } from '../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../src/bot/store/store.js';
import { percentile } from '../src/eval/evaluate.js';

export interface StoreRow {
  readonly system: string;
  readonly history: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly together: number | null;
  readonly note: string;
}

const HISTORY = 100_000;
const CONVERSATIONS = 10_000;
const TIMED = 2_000;
const TOGETHER = 20_000;
/** Plain lowdb rewrites the whole file per write; timing all 2,000 on top of 100k would take minutes, so it gets fewer. */
const PLAIN_TIMED = 200;

const event = (i: number): StoredEvent => ({ kind: 'message', at: '2026-11-27T10:00:00.000Z', from: 'customer', text: `请问我的订单什么时候发货 message ${i}` });

async function tact(): Promise<StoreRow> {
  const dir = mkdtempSync(join(tmpdir(), 'tact-bench-store-'));
  try {
    const store = await openLowdbStore(dir);
    for (let i = 0; i < HISTORY; i += 1000) await Promise.all(Array.from({ length: 1000 }, (_, k) => store.append(`c${(i + k) % CONVERSATIONS}`, event(i + k))));
    const lat: number[] = [];
    for (let i = 0; i < TIMED; i++) {
      const start = performance.now();
      await store.append(`c${i % CONVERSATIONS}`, event(HISTORY + i));
      lat.push(performance.now() - start);
    }
    const start = performance.now();
    await Promise.all(Array.from({ length: TOGETHER }, (_, i) => store.append(`t${i % 200}`, event(i))));
    const together = Math.round(TOGETHER / ((performance.now() - start) / 1000));
    await store.close();
    return { system: 'Tact store (log + group commit, file per conversation)', history: HISTORY, ...percentiles(lat), together, note: `${TIMED} timed appends` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function plainLowdb(): Promise<StoreRow> {
  const dir = mkdtempSync(join(tmpdir(), 'tact-bench-lowdb-'));
  try {
    const db = await JSONFilePreset<{ messages: { c: string; e: StoredEvent }[] }>(join(dir, 'db.json'), { messages: [] });
    for (let i = 0; i < HISTORY; i++) db.data.messages.push({ c: `c${i % CONVERSATIONS}`, e: event(i) });
    await db.write();
    const lat: number[] = [];
    for (let i = 0; i < PLAIN_TIMED; i++) {
      const start = performance.now();
      db.data.messages.push({ c: `c${i}`, e: event(HISTORY + i) });
      await db.write();
      lat.push(performance.now() - start);
    }
    return { system: "lowdb as documented (JSONFilePreset, one file)", history: HISTORY, ...percentiles(lat), together: null, note: `${PLAIN_TIMED} timed appends; its writes are not fsynced` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function percentiles(lat: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...lat].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)) };
}

export async function runStoreSection(): Promise<{ rows: StoreRow[]; md: string }> {
  const rows = [await tact(), await plainLowdb()];
  const lines = [
    '### Store: a durable append with 100,000 messages already stored',
    '',
    '| system | stored before | p50 ms | p99 ms (target ≤ 5) | appends/s arriving together | note |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.system} | ${r.history.toLocaleString('en')} | ${r.p50Ms} | ${r.p99Ms} | ${r.together?.toLocaleString('en') ?? '–'} | ${r.note} |`),
    '',
    '- Each append resolves only once it is on disk (Tact: fdatasync of the log; lowdb: its atomic rename, without fsync). Latency is one append at a time; "together" is 20,000 appends issued at once over 200 conversations.',
  ];
  return { rows, md: `${lines.join('\n')}\n` };
}
