/**
 * The benchmark's reliability section, a bounded soak: 20 customers chat
 * with the built `tact start` while it is killed (kill -9, while serving and
 * during startup) and restarted cleanly at random, for about a minute and a
 * half; then the data directory is read offline and every customer's ledger
 * of acknowledged messages is held against it (bench/reliability-count.ts).
 * What it proves is the README's promise: nothing acknowledged is lost, and
 * the server always comes back.
 *
 *   npm run bench -- --only reliability
 *
 * The schedule is drawn from a fixed seed, so two runs do the same things in
 * the same order; the timing of each kill against the server's work is not
 * reproducible, which is the point of killing it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllConversations } from '../src/bot/store/lowdb-store.js';
import { mulberry32 } from '../src/intents/softmax.js';
import { faqTexts } from './faq-texts.js';
import { tally, type Tally } from './reliability-count.js';
import { SoakCustomer } from './reliability-customer.js';
import { SoakServer, type ServerCounts } from './reliability-server.js';

const CUSTOMERS = 20;
/** Faults are injected for this long; the whole soak stays under two minutes but for a start that hangs. */
const CHAOS_MS = 95_000;
/** Served without faults between two of them. */
const SERVE_MS = { min: 1500, max: 4000 } as const;
/** After the last fault: customers chat this long, then finish their last question within the grace. */
const SETTLE_MS = 3000;
const GRACE_MS = 10_000;
const SEED = 12;

export interface ReliabilityRow extends Tally, ServerCounts {
  readonly customers: number;
  readonly seconds: number;
  readonly tokensRefused: number;
  readonly seed: number;
  /** The median time from spawning `tact start` to its serving, in ms (how much of the soak the server was down for). */
  readonly medianStartupMs: number;
}

export async function runReliabilitySection(): Promise<{ rows: ReliabilityRow[]; md: string }> {
  const row = await soak();
  const lines = [
    '### Reliability: kill -9 and restarts under load (a soak, bench/reliability.ts)',
    '',
    '| customers | acked messages | acked lost | stored twice | acked, never answered | starts | kill -9 while serving | kill -9 during startup | clean stops | restarts refused | tokens refused |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${row.customers} | ${row.acked.toLocaleString('en')} | ${row.lost} | ${row.twice} | ${row.unanswered} | ${row.starts} | ${row.killedServing} | ${row.killedStarting} | ${row.cleanStops} | ${row.refused} | ${row.tokensRefused} |`,
    '',
    `- ${row.seconds} s against the built \`tact start\` (demo KB, a fresh data directory, loopback): faults at random for up to ${CHAOS_MS / 1000} s (seed ${row.seed}), each after ${SERVE_MS.min / 1000}–${SERVE_MS.max / 1000} s of serving: kill -9 and start, kill -9 and one or two starts killed part-way through startup, or SIGTERM and start. A start took ${(row.medianStartupMs / 1000).toFixed(1)} s (median) to serve. Customers ask one FAQ question at a time and, like the widget, send an unacknowledged question again with the same id after reconnecting.`,
    '- Lost: acknowledged (the server\'s `ack`) and missing from the data directory read offline at the end. Never answered: acknowledged, kept, and no reply follows it (a handed-off conversation is not counted while it waits for a person). Refused: a start that exited on its own instead of serving.',
  ];
  return { rows: [row], md: `${lines.join('\n')}\n` };
}

async function soak(): Promise<ReliabilityRow> {
  const begun = Date.now();
  const random = mulberry32(SEED);
  const dataDir = mkdtempSync(join(tmpdir(), 'tact-bench-reliability-'));
  const port = await freePort();
  const server = new SoakServer(dataDir, port);
  try {
    await server.start();
    const questions = faqTexts();
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => new SoakCustomer(`c${i}`, `http://127.0.0.1:${port}`, questions, mulberry32(SEED * 1000 + i)));
    const chatting = customers.map((c) => c.run(GRACE_MS));
    await faults(server, random, begun + CHAOS_MS);
    await sleep(SETTLE_MS);
    for (const c of customers) c.stop();
    await Promise.all(chatting);
    await server.stop();
    const result = tally(
      customers.flatMap((c) => c.ledger),
      await readAllConversations(dataDir),
    );
    const startups = [...server.startupMs].sort((a, b) => a - b);
    return { customers: CUSTOMERS, seconds: Math.round((Date.now() - begun) / 1000), seed: SEED, medianStartupMs: startups[Math.floor(startups.length / 2)] ?? 0, tokensRefused: customers.reduce((n, c) => n + c.tokensRefused, 0), ...result, ...server.counts };
  } finally {
    await server.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Until `until`: serve a while, then one fault drawn at random, and start again (no new fault once restarting would overrun). */
async function faults(server: SoakServer, random: () => number, until: number): Promise<void> {
  while (Date.now() + SERVE_MS.max + server.lastStartupMs < until) {
    await sleep(SERVE_MS.min + random() * (SERVE_MS.max - SERVE_MS.min));
    const draw = random();
    if (draw < 0.5) await server.kill();
    else if (draw < 0.8) {
      await server.kill();
      const times = 1 + Math.floor(random() * 2);
      for (let i = 0; i < times; i++) await server.startKilledAfter((0.2 + random() * 0.75) * server.lastStartupMs);
    } else await server.stop();
    process.stderr.write(`reliability: ${JSON.stringify(server.counts)}\n`);
    await server.start();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
