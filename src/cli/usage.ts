/** Command-line plumbing shared by the subcommands: argument parsing, usage errors, locating the KB. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { buildFaqIndex, type FaqIndex } from '../bot/core/faq-index.js';
import { cachedIndex, type CacheEvent } from '../bot/pipeline/index-cache.js';
import { packageRoot } from '../kb/defaults.js';
import { languageData } from '../kb/language-data.js';
import { loadKbSource } from '../kb/source.js';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: readonly string[], options: O): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; args: string[] }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** --kb, else $TACT_KB_DIR, else ./knowledge-base, else the demo KB shipped with Tact. */
export function resolveKbPath(flag: string | undefined): string {
  if (flag) return flag;
  const env = process.env['TACT_KB_DIR'];
  if (env) return env;
  const local = join(process.cwd(), 'knowledge-base');
  return existsSync(local) ? local : join(packageRoot(), 'knowledge-base');
}

/** The KB's index, from the build cache when this exact build is there (see index-cache.ts). */
export function openIndex(flag: string | undefined): FaqIndex {
  const path = resolveKbPath(flag);
  return cachedIndex(path, () => buildFaqIndex(loadKbSource(path), languageData()), { onEvent: warnCacheTrouble });
}

/** A cache that cannot be used costs time, not answers: say so once, on stderr, and go on. */
function warnCacheTrouble(e: CacheEvent): void {
  if (e.event === 'invalid') process.stderr.write(`tact: set aside a damaged build in the cache (${e.reason}): ${e.file}\n`);
  if (e.event === 'unwritable') process.stderr.write(`tact: cannot keep builds in ${e.dir} (${e.reason}); set TACT_CACHE_DIR to a writable folder, or TACT_CACHE_DIR=off\n`);
}
