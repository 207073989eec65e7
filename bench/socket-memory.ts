/**
 * The socket section's memory table: Tact's resident memory (after a full
 * GC, in the server's own process) with no customers, with 1,000 customers
 * connected and idle, once they have left and their sessions have been
 * dropped (as the sweep drops sessions idle with no socket), and started on
 * an empty data directory against one holding 10,000 stored conversations.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLowdbStore } from '../src/bot/store/lowdb-store.js';
import { packageRoot } from '../src/kb/defaults.js';
import { tactClient, type ChatClient, type ClientHooks } from './socket-clients.js';
import type { ServerCommand, ServerMessage } from './socket-server.js';

const IDLE_CUSTOMERS = 1000;
const STORED_CONVERSATIONS = 10_000;
/** Customers connecting at once while the idle ones are opened. */
const CONNECT_BATCH = 50;

export interface MemoryRow {
  readonly started: Usage;
  readonly idle: Usage;
  readonly left: Usage;
  readonly dropped: number;
  readonly emptyStore: Usage;
  readonly storedStore: Usage;
}

interface Usage {
  readonly rss: number;
  readonly heapUsed: number;
}

const QUIET: ClientHooks = { ack: () => undefined, reply: () => undefined, queued: () => undefined, lost: () => undefined };

export async function measureMemory(): Promise<MemoryRow> {
  const dir = mkdtempSync(join(tmpdir(), 'tact-bench-memory-'));
  try {
    const { started, idle, left, dropped } = await idleCustomers(join(dir, 'customers'));
    const emptyStore = await startedOn(join(dir, 'empty'));
    const full = join(dir, 'stored');
    await storeConversations(full, STORED_CONVERSATIONS);
    const storedStore = await startedOn(full);
    return { started, idle, left, dropped, emptyStore, storedStore };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function idleCustomers(dataDir: string): Promise<{ started: Usage; idle: Usage; left: Usage; dropped: number }> {
  const server = await Server.start(dataDir);
  try {
    const started = await server.memory();
    const open = tactClient([server.url]);
    const clients: ChatClient[] = [];
    while (clients.length < IDLE_CUSTOMERS) clients.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, IDLE_CUSTOMERS - clients.length) }, () => open(QUIET)))));
    const idle = await server.memory();
    for (const c of clients) c.close();
    // Each close reaches the server as a frame: give them a moment to arrive before the sweep.
    await new Promise((r) => setTimeout(r, 1000));
    const dropped = await server.forget();
    const left = await server.memory();
    return { started, idle, left, dropped };
  } finally {
    await server.close();
  }
}

async function startedOn(dataDir: string): Promise<Usage> {
  const server = await Server.start(dataDir);
  try {
    return await server.memory();
  } finally {
    await server.close();
  }
}

/** Conversations as a short chat leaves them: the session, a question, its answer. */
async function storeConversations(dataDir: string, n: number): Promise<void> {
  const store = await openLowdbStore(dataDir);
  const at = new Date().toISOString();
  for (let i = 0; i < n; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, async (_, j) => {
        const id = `bench-stored-${i + j}`;
        await store.append(id, { kind: 'session', at, lang: 'zh', customerId: null, name: null });
        await store.append(id, { kind: 'message', at, from: 'customer', text: '下单后多久发货？', id: 'q1' });
        await store.append(id, { kind: 'message', at, from: 'bot', text: '您好，订单会在付款后48小时内发货。', turn: 'q1' });
        await store.append(id, { kind: 'turn', at, id: 'q1' });
      }),
    );
  }
  await store.close();
}

/** bench/socket-server.js as Tact, with a GC the memory readings can force. */
class Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<Server> {
    const child = fork(join(packageRoot(), 'dist', 'bench', 'socket-server.js'), ['tact', dataDir], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const listening = await answer(child, 'listening');
    return new Server(child, listening.url);
  }

  async memory(): Promise<Usage> {
    const m = await this.ask({ type: 'memory' }, 'memory');
    return { rss: m.rss, heapUsed: m.heapUsed };
  }

  async forget(): Promise<number> {
    return (await this.ask({ type: 'forget' }, 'forgot')).sessions;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' } satisfies ServerCommand);
    await exited;
  }

  private ask<T extends ServerMessage['type']>(command: ServerCommand, type: T): Promise<Extract<ServerMessage, { type: T }>> {
    const reply = answer(this.child, type);
    this.child.send(command);
    return reply;
  }
}

function answer<T extends ServerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const heard = (m: ServerMessage): void => {
      if (m.type !== type) return;
      child.off('message', heard);
      child.off('exit', died);
      resolve(m as Extract<ServerMessage, { type: T }>);
    };
    const died = (code: number | null): void => reject(new Error(`the bench server exited (${code}) before answering ${type}`));
    child.on('message', heard);
    child.once('exit', died);
  });
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

export function memoryLines(m: MemoryRow): string[] {
  const perIdle = ((m.idle.rss - m.started.rss) / IDLE_CUSTOMERS / 1024).toFixed(1);
  return [
    `### Memory (MB, resident after a full GC, the server's process; \`npm run bench -- --only socket\`)`,
    '',
    '| Tact, embedded store | RSS | JS heap |',
    '|---|---|---|',
    `| started, no customers | ${mb(m.started.rss)} | ${mb(m.started.heapUsed)} |`,
    `| ${IDLE_CUSTOMERS.toLocaleString('en')} customers connected, idle (greeted, nothing asked) | ${mb(m.idle.rss)} (+${mb(m.idle.rss - m.started.rss)}: ${perIdle} KB each) | ${mb(m.idle.heapUsed)} |`,
    `| once they left and the sweep dropped their ${m.dropped.toLocaleString('en')} idle sessions | ${mb(m.left.rss)} | ${mb(m.left.heapUsed)} |`,
    `| started on an empty data directory | ${mb(m.emptyStore.rss)} | ${mb(m.emptyStore.heapUsed)} |`,
    `| started on ${STORED_CONVERSATIONS.toLocaleString('en')} stored conversations | ${mb(m.storedStore.rss)} (${m.storedStore.rss >= m.emptyStore.rss ? '+' : ''}${mb(m.storedStore.rss - m.emptyStore.rss)}) | ${mb(m.storedStore.heapUsed)} |`,
    '',
    '- RSS includes the decision workers (each holds a copy of the KB\'s index); the JS heap is the main thread\'s. Stored conversations are read from disk when a customer comes back, never held at start: only the index of open ones is.',
  ];
}
