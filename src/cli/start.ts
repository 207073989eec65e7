/**
 * `tact start` (and `npm start`): the server — demo page, widget, chat
 * socket and HTTP API on one port — configured from environment variables.
 * Logs are JSON lines on stdout; the one human line ("open …") goes to
 * stderr. Ctrl-C or SIGTERM stops it cleanly: sockets are told to reconnect
 * later, turns in flight finish, the store is flushed.
 */
import { ConfigError, loadConfig } from '../bot/config.js';
import { startServer } from '../bot/server.js';
import { StoreError } from '../bot/store/store.js';
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
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'STORE_LOCKED') {
      process.stderr.write(`tact: ${err.message}\n`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`tact: port ${config.port} is already in use; stop what is using it or set PORT to another port\n`);
      return 2;
    }
    throw err;
  }
  process.stderr.write(`Tact is running: open ${server.url} (Ctrl-C to stop)\n`);
  if (config.adminToken) process.stderr.write(`Admin page: ${server.url}/admin (sign in with TACT_ADMIN_TOKEN)\n`);
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
