/**
 * The benchmark's socket section: messages a second and latency over the
 * chat WebSocket, for Tact as it runs in production (matching, decision,
 * Botkit turn, a reply only after the message is durably stored) and for
 * plain Botkit's web adapter echoing (no work at all per message). Each
 * server runs in its own process (bench/socket-server.ts) and the load in
 * another (bench/socket-load.ts), so neither shares an event loop with the
 * other; latency is measured by the load generator.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { packageRoot } from '../src/kb/defaults.js';
import { DRAIN_MS, IN_FLIGHT, MEASURE_MS, RATE, SOCKETS, WARMUP_MS, type Latency, type LoadResult } from './socket-plan.js';
import { measureMemory, memoryLines } from './socket-memory.js';
import type { ServerMessage } from './socket-server.js';

type Listening = Extract<ServerMessage, { type: 'listening' }>;

export interface SocketRow extends LoadResult {
  readonly system: string;
}

/**
 * What runs: Tact alone on its data directory, Tact on PostgreSQL, two Tact
 * instances on PostgreSQL joined by Redis (the load spread over both, as a
 * round-robin balancer would), and the Botkit echo peer.
 */
interface System {
  readonly system: string;
  readonly arg: 'tact' | 'botkit';
  readonly instances: number;
  readonly database: boolean;
  readonly env?: Readonly<Record<string, string>>;
}
const SYSTEMS: readonly System[] = [
  { system: 'Tact', arg: 'tact', instances: 1, database: false },
  { system: 'Tact, decisions on the event loop', arg: 'tact', instances: 1, database: false, env: { TACT_DECISION_WORKERS: '0' } },
  { system: 'Tact on PostgreSQL', arg: 'tact', instances: 1, database: true },
  { system: 'Tact ×2 on PostgreSQL + Redis', arg: 'tact', instances: 2, database: true },
  { system: 'Botkit web adapter (echo)', arg: 'botkit', instances: 1, database: false },
];
const SERVER_EXIT_MS = 30_000;
/** The machine's PostgreSQL and Redis (trust auth), as the tests use them; a bench database is made and dropped per run. */
const PG_ADMIN_URL = process.env['TACT_BENCH_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['TACT_BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379';

const script = (name: string): string => join(packageRoot(), 'dist', 'bench', name);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database (and Redis prefix) for one system's run, dropped after it. */
async function sharedStore(s: System): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!s.database) return { env: {}, drop: () => Promise.resolve() };
  const name = `tact_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const env: Record<string, string> = { TACT_DATABASE_URL: url.toString(), ...(s.instances > 1 ? { TACT_REDIS_URL: REDIS_URL, TACT_REDIS_PREFIX: `${name}:` } : {}) };
  return { env, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function measure(s: System): Promise<SocketRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tact-bench-socket-'));
  const store = await sharedStore(s);
  const servers = Array.from({ length: s.instances }, () => fork(script('socket-server.js'), [s.arg, dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...store.env, ...s.env } }));
  try {
    const urls = (await Promise.all(servers.map((server) => reply<Listening>(server)))).map((m) => m.url);
    const load = fork(script('socket-load.js'), [s.arg, urls.join(',')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await reply<LoadResult>(load);
    for (const server of servers) server.send({ type: 'close' });
    await Promise.all(servers.map(exited));
    return { system: s.system, ...result };
  } finally {
    for (const server of servers) if (server.exitCode === null) server.kill();
    rmSync(dataDir, { recursive: true, force: true });
    await store.drop();
  }
}

/** The child's first IPC message; fails if it exits first. */
function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.slice(1).join(' ')} exited with ${code} before replying`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not close in time')), SERVER_EXIT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const ms = (l: Latency | null, max = false): string => (l ? [l.p50, l.p99, ...(max ? [l.max] : [])].map((v) => v.toFixed(1)).join(' / ') : '–');

export async function runSocketSection(): Promise<{ rows: SocketRow[]; md: string }> {
  const rows: SocketRow[] = [];
  for (const s of SYSTEMS) rows.push(await measure(s));
  const memory = await measureMemory();
  const lines = [
    '### Chat socket: messages a second and latency (ms, measured by a client in another process)',
    '',
    '| system | max msgs/s | send→ack p50 / p99 at max | send→reply p50 / p99 at max | send→ack p50 / p99 / max at 1k/s | send→reply p50 / p99 / max at 1k/s | unanswered at max / 1k/s | sessions queued and replaced |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.system} | ${r.max.repliesPerSecond.toLocaleString('en')} | ${ms(r.max.ackMs)} | ${ms(r.max.replyMs)} | ${ms(r.rate.ackMs, true)} | ${ms(r.rate.replyMs, true)} | ${r.max.unanswered} of ${r.max.sent} / ${r.rate.unanswered} of ${r.rate.sent} | ${r.max.sessionsQueued} / ${r.rate.sessionsQueued} |`,
    ),
    '',
    `- max: ${SOCKETS} sockets, each keeping ${IN_FLIGHT} messages in flight; msgs/s counts bot replies. 1k/s: ${RATE.toLocaleString('en')} messages/s open loop over ${SOCKETS} sockets, latency from when each was due. Both: ${WARMUP_MS / 1000} s warm-up, then ${MEASURE_MS / 1000} s measured; replies are awaited up to ${DRAIN_MS / 1000} s after sending stops.`,
    '- Tact: the demo KB, a fresh data directory, a message acknowledged only once fsynced (group commit), the per-socket flood limit raised. Customers ask the KB\'s regression cases that Tact answers with an FAQ when asked first, never one twice in a session; a session the policy hands to a person (the bot then stays quiet) is replaced, and its waiting messages are not counted as unanswered.',
    '- Tact on PostgreSQL: the same, its store the machine\'s PostgreSQL 15 (a fresh database; an acknowledgement waits for the commit). Tact ×2: two instances on one such database, joined by Redis (turn leases, delivery across instances), the sockets spread over both as a round-robin balancer would; on this 2-core machine the two instances, PostgreSQL, Redis and the load generator share the same two cores, so this row shows what the sharing costs, not what two machines would give.',
    '- Botkit: botbuilder-adapter-web\'s socket server with an echo bot (`bot.reply(m, m.text)`); it has no acknowledgement.',
    `- Load generator CPU (% of one core), max / 1k/s: ${rows.map((r) => `${r.system} ${r.max.clientCpuPct} / ${r.rate.clientCpuPct}`).join('; ')}.`,
    `- Tact decides in ${availableParallelism() - 1 > 0 ? `${Math.min(4, availableParallelism() - 1)} worker thread(s)` : 'the event loop'} on this ${availableParallelism()}-core machine (TACT_DECISION_WORKERS' default); the row after it decides on the event loop that serves the sockets.`,
    '',
    ...memoryLines(memory),
  ];
  return { rows, md: `${lines.join('\n')}\n` };
}
