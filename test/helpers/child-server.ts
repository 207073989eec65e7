/** Runs the real `tact start` (from source) in a child process, for tests that kill a server with SIGKILL and start it again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './tact-process.js';

export { freePort };

const SERVE = join(import.meta.dirname, '..', 'fixtures', 'serve.ts');

export interface ChildServer {
  readonly process: ChildProcess;
  readonly url: string;
  stderr: string;
  exitCode: number | null;
}

/** Starts `tact start` with this environment; resolves once it says it is running (or with its exit code if it stops first). */
export function serve(env: Readonly<Record<string, string>>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], { env: { ...process.env, LOG_LEVEL: 'error', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const state: ChildServer = { process: child, url: `http://127.0.0.1:${env['PORT']}`, stderr: '', exitCode: null };
  return new Promise((resolve) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      state.stderr += chunk;
      if (/Tact is running/.test(state.stderr)) resolve(state);
    });
    child.on('exit', (code) => {
      state.exitCode = code;
      resolve(state);
    });
  });
}

/** SIGKILLs a child (if still running) and resolves once it has exited. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Leaves a data directory as a server that crashed right after storing these events would (its log not folded, its lock stale). */
export async function crashedAfterStoring(dataDir: string, conversationId: string, events: readonly unknown[]): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'fixtures', 'store-then-hang.ts'), dataDir, conversationId, JSON.stringify(events)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (chunk.includes('stored')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the store fixture exited (${code}) before storing`)));
  });
  await killed(child);
}
