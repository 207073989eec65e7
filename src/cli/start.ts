/**
 * `tact start` (and `npm start`): the server — demo page, widget, chat
 * socket and HTTP API on one port — configured from environment variables.
 * Logs are JSON lines on stdout; the one human line ("open …") goes to
 * stderr. Ctrl-C or SIGTERM stops it cleanly: sockets are told to reconnect
 * later, turns in flight finish, the store is flushed. An error nothing
 * handled is logged without what it carries and ends the process (crash.ts).
 * What the operator can fix — the environment, a data directory in use or
 * not writable, a port taken — is one line on stderr and exit code 2.
 */
import { isAbsolute, relative } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../bot/config.js';
import { createLogger } from '../bot/log.js';
import { startServer, type RunningServer } from '../bot/server.js';
import { checkDataDirWritable, isUnwritable, unwritableDataDir } from '../bot/store/lock.js';
import { ClusterError } from '../bot/cluster/cluster-error.js';
import { StoreError } from '../bot/store/store.js';
import { guardProcess } from './crash.js';
import { UsageError } from './usage.js';

export async function startCommand(args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new UsageError('tact start takes no arguments; configure it with environment variables (see the README)');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tact: ${err.message}\n`);
    return 2;
  }
  const guard = guardProcess(createLogger(config.logLevel));
  let server;
  try {
    // With a database the data directory holds nothing: it need not exist.
    if (config.databaseUrl === null) checkDataDirWritable(config.dataDir);
    server = await startServer(config);
  } catch (err) {
    guard.dispose();
    const refusal = operatorError(config, err);
    if (refusal === null) throw err;
    process.stderr.write(`tact: ${refusal}\n`);
    return 2;
  }
  guard.closeOnCrash(() => server.close());
  process.stderr.write(`Tact is running: open ${server.url} (Ctrl-C to stop)\n`);
  if (config.adminToken) process.stderr.write(`Admin page: ${server.url}/admin (sign in with TACT_ADMIN_TOKEN)\n`);
  await stopped(server);
  guard.dispose();
  return 0;
}

/** The one line for a start that failed on something the operator can fix; null for anything else (a fault). */
function operatorError(config: Config, err: unknown): string | null {
  if (err instanceof StoreError && (err.code === 'STORE_LOCKED' || err.code === 'STORE_UNWRITABLE')) return `${err.message} (${err.code})`;
  if (err instanceof ClusterError) return `${err.message} (${err.code})`;
  // A store write that met a read-only or foreign data directory past the first check (a file in it, not the folder).
  if (isUnwritable(err) && typeof err.path === 'string' && isInside(config.dataDir, err.path)) {
    const coded = unwritableDataDir(config.dataDir, err);
    return `${coded.message} (${coded.code})`;
  }
  if ((err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE') return `port ${config.port} is already in use; stop what is using it or set PORT to another port`;
  return null;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** Resolves once Ctrl-C or SIGTERM has stopped the server. */
function stopped(running: RunningServer): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
