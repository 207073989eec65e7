/**
 * The real `tact start` — the built CLI, as installed (`npm test` builds it
 * first) — in a child process, for tests of crashes, locks and restarts. It
 * can be run as pid 1 of a fresh pid namespace (a container's init) or with
 * its data directory mounted read-only; both need root (CI is root).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const TACT_BIN = join(ROOT, 'bin', 'tact.js');

export interface TactProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stdout: string;
  stderr: string;
  /** Set once it has stopped: its exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** True once it said it is running. */
  running: boolean;
}

export interface TactOptions {
  /** pid 1 of a new pid namespace with its own /proc, as in a container. */
  readonly asPid1?: boolean;
  /** The data directory bind-mounted read-only, in a mount namespace of its own (gone with the process). */
  readonly readOnlyDataDir?: boolean;
  /** A module node loads first (node --import). */
  readonly preload?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `tact start`; resolves once it says it is running, or once it has stopped. */
export function startTact(env: Readonly<Record<string, string>>, opts: TactOptions = {}): Promise<TactProcess> {
  const node = [process.execPath, ...(opts.preload ? ['--import', opts.preload] : []), TACT_BIN, 'start'];
  const argv = opts.asPid1
    ? ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', ...node]
    : opts.readOnlyDataDir
      ? ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', env['TACT_DATA_DIR'] ?? '', ...node]
      : node;
  const child = spawn(argv[0] as string, argv.slice(1), { env: { ...process.env, LOG_LEVEL: 'error', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const state: TactProcess = { child, url: `http://127.0.0.1:${env['PORT']}`, stdout: '', stderr: '', exitCode: null, running: false };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (state.stdout += chunk));
  return new Promise((resolve) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      state.stderr += chunk;
      if (!state.running && /Tact is running/.test(state.stderr)) {
        state.running = true;
        resolve(state);
      }
    });
    child.on('exit', (code) => {
      state.exitCode = code;
      resolve(state);
    });
  });
}

/** Resolves once the process has exited (and its output is read). */
export function stopped(tact: TactProcess): Promise<void> {
  return new Promise((resolve) => {
    if (tact.child.exitCode !== null || tact.child.signalCode !== null) return resolve();
    tact.child.once('close', () => resolve());
  });
}

/** SIGKILL to the server itself — inside the pid namespace when it is pid 1 there — and waits until it is gone. */
export async function killHard(tact: TactProcess, asPid1 = false): Promise<void> {
  const pid = tact.child.pid;
  if (pid === undefined || tact.child.exitCode !== null || tact.child.signalCode !== null) return;
  const target = asPid1 ? Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) : pid;
  process.kill(target, 'SIGKILL');
  await stopped(tact);
}

/**
 * Tests that need root (namespaces, mounts) run in CI, which is root; outside
 * CI, without root, they are skipped with a message.
 */
export function requireRoot(ctx: Mocha.Context, what: string): void {
  if (process.getuid?.() === 0) return;
  const message = `${what} needs root (unshare/mount); run the tests as root`;
  if (process.env['CI']) throw new Error(message);
  console.warn(`  skipped: ${message}`);
  ctx.skip();
}
