/**
 * One chat server for the socket section, in its own process: Tact as
 * `tact start` runs it (demo KB, a fresh data directory, durable acks) or
 * the Botkit web adapter echo peer. It tells bench/socket.ts its WebSocket
 * URL over IPC, and closes when told to:
 *
 *   fork('dist/bench/socket-server.js', ['tact' | 'botkit', dataDir])
 *   → {type: 'listening', url}   ← {type: 'close'}   (it closes the server and exits)
 */
import { join } from 'node:path';
import { loadConfig } from '../src/bot/config.js';
import { DEFAULT_LIMITS } from '../src/bot/limits.js';
import { createLogger } from '../src/bot/log.js';
import { startServer } from '../src/bot/server.js';
import { packageRoot } from '../src/kb/defaults.js';
import { startBotkitEcho } from './peers/botkit-web-echo.js';

export interface ServerMessage {
  readonly type: 'listening';
  readonly url: string;
}

/** Fixed so the run does not depend on a secret kept in the data directory. */
const SESSION_SECRET = 'bench-socket-session-secret-0123456789abcdef';
/** The per-socket flood limit guards against real customers, not the load generator's hundreds of messages a second. */
const UNLIMITED = { perSecond: 1e6, burst: 1e6 };
/** Likewise the per-address limit on new sessions: every simulated customer comes from 127.0.0.1. */
const ONE_ADDRESS = { ...DEFAULT_LIMITS, newSessions: { burst: 1e6, perMinute: 1e6 }, handoffsPerAddress: { burst: 1e6, perMinute: 1e6 } };

/** Tact on the data directory, or on the database (and Redis) bench/socket.ts gives it in TACT_DATABASE_URL (TACT_REDIS_URL, TACT_REDIS_PREFIX). */
async function startTact(dataDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const shared = Object.fromEntries(['TACT_DATABASE_URL', 'TACT_REDIS_URL', 'TACT_REDIS_PREFIX'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  const config = loadConfig({ HOST: '127.0.0.1', TACT_KB_DIR: join(packageRoot(), 'knowledge-base'), TACT_DATA_DIR: dataDir, TACT_SESSION_SECRET: SESSION_SECRET, LOG_LEVEL: 'error', ...shared });
  const server = await startServer({ ...config, port: 0 }, { log: createLogger('error', () => undefined), deskTickMs: 0, rate: UNLIMITED, limits: ONE_ADDRESS });
  return { url: `ws://127.0.0.1:${server.port}/chat`, close: () => server.close() };
}

async function main(): Promise<void> {
  const [system, dataDir] = process.argv.slice(2);
  if ((system !== 'tact' && system !== 'botkit') || !dataDir) throw new Error('usage: socket-server.js tact|botkit <data dir>');
  const server = system === 'tact' ? await startTact(dataDir) : await startBotkitEcho();
  process.send?.({ type: 'listening', url: server.url } satisfies ServerMessage);
  process.once('message', () => {
    void server.close().then(() => {
      // botbuilder-adapter-web starts a heartbeat interval it never clears, so the process would not end by itself.
      process.exit(0);
    });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
