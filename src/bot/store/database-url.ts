/**
 * A PostgreSQL database URL, checked and shown without its password. Kept
 * apart from the pool (pg-pool.ts), so configuration can check the URL
 * without loading the database driver: the embedded default never loads it.
 */

/** The problem with a database URL, or null when it is a postgres:// URL the store can use. */
export function databaseUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the database URL is not a URL (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return `the database URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//)`;
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) return 'the database URL names no host';
  return null;
}

/** The URL as it may be shown: its password replaced. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
