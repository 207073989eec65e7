/**
 * The session-signing secret when TACT_SESSION_SECRET is not set: made once
 * and kept in the data directory (readable by the owner only), so customers'
 * sessions survive a restart of a server run without configuration.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'session.secret';

export function dataDirSecret(dataDir: string): string {
  const path = join(dataDir, SECRET_FILE);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
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
  renameSync(temp, path);
  return secret;
}
