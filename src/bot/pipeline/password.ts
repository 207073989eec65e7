/**
 * Staff passwords, kept only as scrypt hashes (node's crypto.scrypt): a
 * random 16-byte salt per password, N = 2^15, r = 8, p = 1 (32 MiB and
 * some 50–100 ms per try, so a stolen store costs an attacker that much per
 * guess), a 32-byte key, compared in constant time. The parameters are kept
 * in the hash, so raising them later still verifies older hashes:
 *
 *   scrypt$15$8$1$<salt, base64url>$<key, base64url>
 *
 * A password is never logged, stored or shown; only its hash is.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const MIN_PASSWORD_CHARS = 12;
/** Long passphrases are welcome; a megabyte is an attack on the hash's time. */
export const MAX_PASSWORD_CHARS = 256;

const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const HASH = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

/** Why a password may not be used (too short, too long, control characters), or null when it may. */
export function passwordProblem(password: string): string | null {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) return `a password needs at least ${MIN_PASSWORD_CHARS} characters (a few words make a good one)`;
  if (chars > MAX_PASSWORD_CHARS) return `a password may have at most ${MAX_PASSWORD_CHARS} characters`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'a password may not contain control characters (tabs, line breaks)';
  return null;
}

/** The hash to store for a password (check passwordProblem first). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, LOG2_N, R, P);
  return `scrypt$${LOG2_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` is the one `hash` was made from; false for a hash that is not one (a hand-edited record). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH.exec(hash);
  if (!m) return false;
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A record with absurd parameters must not tie the server up: these bounds cover every hash Tact writes.
  if (logN < 10 || logN > 20 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const expected = Buffer.from(m[5] ?? '', 'base64url');
  const key = await derive(password.slice(0, MAX_PASSWORD_CHARS * 2), Buffer.from(m[4] ?? '', 'base64url'), logN, r, p);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | null = null;

/** Spends the time a verification takes, so a name that does not exist answers no faster than a wrong password. */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword('not anybody’s password');
  await verifyPassword(password, await dummy);
  return false;
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is exactly that for N = 2^15, r = 8, so leave room.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}
