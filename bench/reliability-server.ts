/**
 * The server the reliability soak abuses: the built `tact start`
 * (bin/tact.js) in a child process on one data directory and port, started,
 * stopped cleanly (SIGTERM), killed (SIGKILL) while serving, or killed a
 * given time into its startup. It counts what happened, including starts
 * that were refused (the process exited on its own before serving), which a
 * server that "always comes back" must never have.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/kb/defaults.js';

const STARTUP_TIMEOUT_MS = 60_000;
const RUNNING = /Tact is running/;

export interface ServerCounts {
  starts: number;
  killedServing: number;
  killedStarting: number;
  cleanStops: number;
  refused: number;
}

export class SoakServer {
  readonly counts: ServerCounts = { starts: 0, killedServing: 0, killedStarting: 0, cleanStops: 0, refused: 0 };
  /** How long each start that served took, in order; the last one times the kills during startup. */
  readonly startupMs: number[] = [];
  private child: ChildProcess | null = null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dataDir: string, port: number) {
    // Only what the process needs: nothing of the caller's Slack or Tact settings leaks into the soak.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TACT_') && !k.startsWith('SLACK_')));
    this.env = { ...inherited, PORT: String(port), HOST: '127.0.0.1', TACT_DATA_DIR: dataDir, TACT_KB_DIR: join(packageRoot(), 'knowledge-base'), LOG_LEVEL: 'error' };
  }

  /** Starts until one serves; a start that exits on its own is counted as refused and tried again, at most `tries` times. */
  async start(tries = 3): Promise<void> {
    for (let i = 0; i < tries; i++) {
      const begun = Date.now();
      const outcome = await this.spawn(null);
      if (outcome.kind === 'running') {
        this.startupMs.push(Date.now() - begun);
        return;
      }
      this.counts.refused++;
      if (outcome.kind === 'exited') process.stderr.write(`reliability: start refused (exit ${outcome.code}): ${outcome.stderr.trim().split('\n').slice(-2).join(' ')}\n`);
    }
    throw new Error(`the server refused to start ${tries} times in a row`);
  }

  /** Starts the server and kill -9s it `afterMs` into its startup; counted as a kill during startup only if it had not yet served. */
  async startKilledAfter(afterMs: number): Promise<void> {
    const outcome = await this.spawn(afterMs);
    if (outcome.kind === 'running') await this.kill();
    else if (outcome.kind === 'killed') this.counts.killedStarting++;
    else this.counts.refused++;
  }

  async kill(): Promise<void> {
    if (await this.end('SIGKILL')) this.counts.killedServing++;
  }

  async stop(): Promise<void> {
    if (await this.end('SIGTERM')) this.counts.cleanStops++;
  }

  /** Sends `signal` to the running server and waits for it to exit; false if none was running. */
  private end(signal: NodeJS.Signals): Promise<boolean> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(false);
    return new Promise((resolve) => {
      child.once('exit', () => resolve(true));
      child.kill(signal);
    });
  }

  /** One `tact start`: it serves, it is killed at `killAfterMs` before serving, or it exits on its own. */
  private spawn(killAfterMs: number | null): Promise<{ kind: 'running' } | { kind: 'killed' } | { kind: 'exited'; code: number | null; stderr: string }> {
    this.counts.starts++;
    const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'tact.js'), 'start'], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killedEarly = false;
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`tact start did not serve within ${STARTUP_TIMEOUT_MS} ms`))), STARTUP_TIMEOUT_MS);
      const killer = killAfterMs === null ? null : setTimeout(() => ((killedEarly = true), child.kill('SIGKILL')), killAfterMs);
      const settle = (): void => {
        clearTimeout(timeout);
        if (killer) clearTimeout(killer);
      };
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
        if (!RUNNING.test(stderr) || killedEarly) return;
        settle();
        this.child = child;
        resolve({ kind: 'running' });
      });
      child.once('exit', (code) => {
        settle();
        resolve(killedEarly ? { kind: 'killed' } : { kind: 'exited', code, stderr });
      });
    });
  }

  get lastStartupMs(): number {
    return this.startupMs[this.startupMs.length - 1] ?? 3000;
  }

  /** Kills whatever is still running (the soak's cleanup). */
  async shutdown(): Promise<void> {
    await this.end('SIGKILL');
  }
}
