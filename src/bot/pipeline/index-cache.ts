/**
 * Built KBs kept on disk, keyed by what the build depends on: the KB's own
 * files, the built-in language data, the matcher's options and Tact's code.
 * `tact ask`, `chat`, `eval` and the server restore a build in a fraction of
 * the time training takes; any change to any of those inputs is a new key,
 * so a stale build is never used. The cache is only ever a shortcut: a
 * missing, damaged or unwritable cache means building as if there were none.
 *
 * Where: $TACT_CACHE_DIR, else $XDG_CACHE_HOME/tact, else ~/.cache/tact;
 * TACT_CACHE_DIR=off turns it off. The newest few builds are kept.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreIndex, snapshotIndex, type FaqIndex, type IndexSnapshot } from '../core/faq-index.js';
import { FAQ_MATCHER_OPTIONS } from '../../intents/matcher-options.js';
import { packageRoot } from '../../kb/defaults.js';
import { decodeSnapshot, SnapshotFileError, writeSnapshot } from './snapshot-file.js';

/** Builds kept; older ones are deleted when a new one is stored. */
export const KEPT_BUILDS = 6;
const SUFFIX = '.tactidx';

export type CacheEvent =
  | { readonly event: 'hit'; readonly file: string; readonly ms: number }
  | { readonly event: 'stored'; readonly file: string; readonly ms: number; readonly bytes: number }
  | { readonly event: 'invalid'; readonly file: string; readonly reason: string }
  | { readonly event: 'unwritable'; readonly dir: string; readonly reason: string };

export interface IndexCacheOptions {
  /** Where builds are kept; null: no cache. Default: cacheDirFrom(process.env). */
  readonly dir?: string | null;
  readonly onEvent?: (e: CacheEvent) => void;
}

/** The cache folder the environment asks for (null: off); relative paths are read from `cwd`. */
export function cacheDirFrom(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string | null {
  const given = env['TACT_CACHE_DIR']?.trim();
  if (given === 'off') return null;
  if (given) return resolve(cwd, given);
  const xdg = env['XDG_CACHE_HOME']?.trim();
  return join(xdg ? resolve(cwd, xdg) : join(homedir(), '.cache'), 'tact');
}

/**
 * The index of the KB at `kbPath`, restored from the cache when this exact
 * build is there, else made by `build` (which reads the KB from `kbPath`
 * with the package's language data) and stored.
 */
export function cachedIndex(kbPath: string, build: () => FaqIndex, opts: IndexCacheOptions = {}): FaqIndex {
  const dir = opts.dir === undefined ? cacheDirFrom(process.env) : opts.dir;
  const tell = opts.onEvent ?? (() => {});
  if (dir === null) return build();
  const key = buildKey(kbPath);
  const file = join(dir, `${key}${SUFFIX}`);
  const hit = readBuild(file, key, tell);
  if (hit) return hit;
  const index = build();
  storeBuild(dir, file, key, snapshotIndex(index), tell);
  return index;
}

function readBuild(file: string, key: string, tell: (e: CacheEvent) => void): FaqIndex | undefined {
  const started = performance.now();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const index = restoreIndex(decodeSnapshot(key, bytes) as IndexSnapshot);
    touch(file);
    tell({ event: 'hit', file, ms: Math.round(performance.now() - started) });
    return index;
  } catch (err) {
    if (!(err instanceof SnapshotFileError)) throw err;
    tell({ event: 'invalid', file, reason: err.message });
    removeQuietly(file);
    return undefined;
  }
}

/** Written whole under a temporary name, then renamed: a reader sees the old build, the new one, or none. */
function storeBuild(dir: string, file: string, key: string, snapshot: IndexSnapshot, tell: (e: CacheEvent) => void): void {
  const started = performance.now();
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'wx', 0o600);
    let bytes: number;
    try {
      bytes = writeSnapshot(fd, key, snapshot);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    evictOld(dir);
    tell({ event: 'stored', file, ms: Math.round(performance.now() - started), bytes });
  } catch (err) {
    removeQuietly(tmp);
    tell({ event: 'unwritable', dir, reason: err instanceof Error ? err.message : String(err) });
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The folder itself is the trouble (not a folder, not ours): nothing was written to remove.
  }
}

function touch(file: string): void {
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    // Another process evicted it meanwhile: it was read whole already.
  }
}

function evictOld(dir: string): void {
  const builds = readdirSync(dir)
    .filter((n) => n.endsWith(SUFFIX))
    .map((n) => ({ path: join(dir, n), at: mtimeOf(join(dir, n)) }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEPT_BUILDS)) rmSync(old.path, { force: true });
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** What a build depends on, hashed: the KB's files, the package's language data, the matcher's options and the code. */
export function buildKey(kbPath: string): string {
  const h = createHash('sha256');
  h.update(codeFingerprint());
  h.update(JSON.stringify(FAQ_MATCHER_OPTIONS));
  for (const { root, files } of buildInputs(kbPath)) hashFiles(h, root, files);
  return h.digest('hex').slice(0, 32);
}

/** The files a build reads, by root: the package's lexicon and reference KB, then the KB at `kbPath`. */
export function buildInputs(kbPath: string): { readonly root: string; readonly files: readonly string[] }[] {
  return [join(packageRoot(), 'lexicon'), join(packageRoot(), 'knowledge-base'), resolve(kbPath)].map((root) => ({ root, files: kbFiles(root) }));
}

/**
 * The files a KB is read from: a CSV or JSONL file itself, or a directory's
 * YAML and CSV files, its faqs/ folder and (for the lexicon) its topics/
 * folder, so that editing a topic lexicon is a new build.
 */
function kbFiles(root: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    return [];
  }
  if (!isDir) return [root];
  return [...listFiles(root, false), ...listFiles(join(root, 'faqs'), true), ...listFiles(join(root, 'topics'), true)].filter((f) => /\.(ya?ml|csv)$/i.test(f));
}

function listFiles(dir: string, deep: boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isFile() ? [join(dir, e.name)] : deep && e.isDirectory() ? listFiles(join(dir, e.name), true) : [])).sort();
}

function hashFiles(h: ReturnType<typeof createHash>, root: string, files: readonly string[]): void {
  h.update(`\0${root}\0${files.length}`);
  for (const f of files) {
    h.update(`\0${relative(root, f)}\0`);
    try {
      h.update(readFileSync(f));
    } catch {
      h.update('\0missing');
    }
  }
}

let fingerprint: string | undefined;

/** A hash of Tact's own code (the compiled or source tree this module runs from): a new version never reads an old build. */
function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const h = createHash('sha256');
  hashFiles(h, srcRoot, listFiles(srcRoot, true).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts')));
  fingerprint = h.digest('hex');
  return fingerprint;
}
