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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/kb/defaults.js';
import { DRAIN_MS, IN_FLIGHT, MEASURE_MS, RATE, SOCKETS, WARMUP_MS, type Latency, type LoadResult } from './socket-plan.js';
import type { ServerMessage } from './socket-server.js';

export interface SocketRow extends LoadResult {
  readonly system: string;
}

const SYSTEMS = [
  { system: 'Tact', arg: 'tact' },
  { system: 'Botkit web adapter (echo)', arg: 'botkit' },
] as const;
const SERVER_EXIT_MS = 30_000;

const script = (name: string): string => join(packageRoot(), 'dist', 'bench', name);

async function measure(system: string, arg: string): Promise<SocketRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tact-bench-socket-'));
  const server = fork(script('socket-server.js'), [arg, dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url } = await reply<ServerMessage>(server);
    const load = fork(script('socket-load.js'), [arg, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await reply<LoadResult>(load);
    server.send({ type: 'close' });
    await exited(server);
    return { system, ...result };
  } finally {
    if (server.exitCode === null) server.kill();
    rmSync(dataDir, { recursive: true, force: true });
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
  for (const s of SYSTEMS) rows.push(await measure(s.system, s.arg));
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
    '- Botkit: botbuilder-adapter-web\'s socket server with an echo bot (`bot.reply(m, m.text)`); it has no acknowledgement.',
    `- Load generator CPU (% of one core), max / 1k/s: ${rows.map((r) => `${r.system} ${r.max.clientCpuPct} / ${r.rate.clientCpuPct}`).join('; ')}.`,
  ];
  return { rows, md: `${lines.join('\n')}\n` };
}
