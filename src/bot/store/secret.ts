/**
 * The session-signing secret when TACT_SESSION_SECRET is not set: made once
 * and kept in the data directory (readable by the owner only), so customers'
 * sessions survive a restart of a server run without configuration.
 *
 * A secret file that is empty or too short is damage (the file is written
 * whole, under a temporary name, then renamed), not a first start. Refusing
 * to start would turn a damaged file into an outage, so the server makes a
 * new secret — but never silently: the damaged file is kept beside it
 * (session.secret.damaged-<time>) and an error is logged saying that every
 * customer's session was invalidated and their widget starts a new one.
 * The secret itself is never logged.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export const SECRET_FILE = 'session.secret';
const MIN_LENGTH = 32;

export function dataDirSecret(dataDir: string, log?: Logger): string {
  const path = join(dataDir, SECRET_FILE);
  const existing = readSecret(path);
  if (existing !== null && existing.length >= MIN_LENGTH) return existing;
  if (existing !== null) setAside(path, existing.length, log);
  // The store makes conversations/ as it opens (before this runs): only a conversation in it means earlier customers.
  else if (holdsConversations(dataDir)) log?.warn('session.secret_new', { message: `${path} was missing in a data directory that holds conversations; a new secret was made, so earlier customers' sessions start afresh` });
  const secret = randomBytes(32).toString('hex');
  // Written whole under a temporary name, then renamed: a crash never leaves half a secret.
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return secret;
}

/** The secret in the file (trimmed), or null when there is no file. */
function readSecret(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function setAside(path: string, length: number, log: Logger | undefined): void {
  const aside = `${path}.damaged-${Date.now()}`;
  renameSync(path, aside);
  log?.error('session.secret_damaged', {
    file: path,
    keptAs: aside,
    length,
    message: `the session secret was ${length === 0 ? 'empty' : `only ${length} characters`}; a new one was made and the damaged file kept. Every customer's session token is now invalid: their widget starts a new session (their stored history is kept). Set TACT_SESSION_SECRET to manage the secret yourself.`,
  });
}

function holdsConversations(dataDir: string): boolean {
  const folder = join(dataDir, 'conversations');
  return existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.json'));
}
