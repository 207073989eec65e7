/**
 * One chat server for the socket section, in its own process: Tact as
 * `tact start` runs it (demo KB, a fresh data directory, durable acks) or
 * the Botkit web adapter echo peer. It tells bench/socket.ts its WebSocket
 * URL over IPC, and closes when told to:
 *
 *   fork('dist/bench/socket-server.js', ['tact' | 'botkit', dataDir])
 *   → {type: 'listening', url}   ← {type: 'close'}   (it closes the server and exits)
 *
 * For the memory table (bench/socket-memory.ts; forked with --expose-gc), Tact also answers
 *   ← {type: 'memory'}  → {type: 'memory', rss, heapUsed}   (bytes, after a full GC)
 *   ← {type: 'forget'}  → {type: 'forgot', sessions}        (drops every idle session without a socket, as the hourly sweep would)
 */
import { join } from 'node:path';
import { loadConfig } from '../src/bot/config.js';
import { DEFAULT_LIMITS } from '../src/bot/limits.js';
import { createLogger } from '../src/bot/log.js';
import { startServer } from '../src/bot/server.js';
import { packageRoot } from '../src/kb/defaults.js';
import { startBotkitEcho } from './peers/botkit-web-echo.js';

export type ServerMessage = { readonly type: 'listening'; readonly url: string } | { readonly type: 'memory'; readonly rss: number; readonly heapUsed: number } | { readonly type: 'forgot'; readonly sessions: number };
export type ServerCommand = { readonly type: 'close' } | { readonly type: 'memory' } | { readonly type: 'forget' };

/** Fixed so the run does not depend on a secret kept in the data directory. */
const SESSION_SECRET = 'bench-socket-session-secret-0123456789abcdef';
/** The per-socket flood limit guards against real customers, not the load generator's hundreds of messages a second. */
const UNLIMITED = { perSecond: 1e6, burst: 1e6 };
/** Likewise the per-address limit on new sessions: every simulated customer comes from 127.0.0.1. */
const ONE_ADDRESS = { ...DEFAULT_LIMITS, newSessions: { burst: 1e6, perMinute: 1e6 }, handoffsPerAddress: { burst: 1e6, perMinute: 1e6 } };

/** Tact on the data directory, or on the database (and Redis) bench/socket.ts gives it in TACT_DATABASE_URL (TACT_REDIS_URL, TACT_REDIS_PREFIX). */
interface Running {
  readonly url: string;
  close(): Promise<void>;
  /** Drops idle sessions (Tact only). */
  forget?(): number;
}

async function startTact(dataDir: string): Promise<Running> {
  const shared = Object.fromEntries(['TACT_DATABASE_URL', 'TACT_REDIS_URL', 'TACT_REDIS_PREFIX', 'TACT_DECISION_WORKERS'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  const config = loadConfig({ HOST: '127.0.0.1', TACT_KB_DIR: join(packageRoot(), 'knowledge-base'), TACT_DATA_DIR: dataDir, TACT_SESSION_SECRET: SESSION_SECRET, LOG_LEVEL: 'error', ...shared });
  const server = await startServer({ ...config, port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, rate: UNLIMITED, limits: ONE_ADDRESS });
  const forget = (): number => {
    const before = server.sessions.size;
    // A day on: every session without a socket has been idle long enough to go.
    server.sessions.sweep(Date.now() + 24 * 60 * 60 * 1000);
    return before - server.sessions.size;
  };
  return { url: `ws://127.0.0.1:${server.port}/chat`, close: () => server.close(), forget };
}

async function main(): Promise<void> {
  const [system, dataDir] = process.argv.slice(2);
  if ((system !== 'tact' && system !== 'botkit') || !dataDir) throw new Error('usage: socket-server.js tact|botkit <data dir>');
  const server: Running = system === 'tact' ? await startTact(dataDir) : await startBotkitEcho();
  const send = (m: ServerMessage): void => void process.send?.(m);
  send({ type: 'listening', url: server.url });
  process.on('message', (c: ServerCommand) => {
    switch (c.type) {
      case 'memory':
        globalThis.gc?.();
        return send({ type: 'memory', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
      case 'forget':
        return send({ type: 'forgot', sessions: server.forget?.() ?? 0 });
      case 'close':
        return void server.close().then(() => {
          // botbuilder-adapter-web starts a heartbeat interval it never clears, so the process would not end by itself.
          process.exit(0);
        });
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
