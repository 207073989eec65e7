/**
 * The real `tact start` in a child process, as an operator or a crash meets
 * it: started on one data directory and port, stopped cleanly (SIGTERM),
 * killed (SIGKILL) while serving, or killed at a moment of its startup named
 * by a log event. The fault suite restarts the same server many times, so a
 * host keeps the directory, port and knowledge base, and tracks every child
 * it starts so that `killAll` in after() leaves nothing running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './tact-process.js';

const SERVE = join(import.meta.dirname, '..', 'fixtures', 'serve.ts');
/** Startup on a busy 2-core machine can take several seconds (module loading); a start that takes longer than this is stuck. */
const STARTUP_TIMEOUT_MS = 45_000;
const RUNNING = /Tact is running/;

/** One `tact start` that said it is running. */
export class ServingTact {
  constructor(
    readonly child: ChildProcess,
    private readonly output: { stderr: string },
  ) {}

  get stderr(): string {
    return this.output.stderr;
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code once it has exited. */
  stop(): Promise<number | null> {
    return ended(this.child, 'SIGTERM');
  }

  /** kill -9: no handler runs, nothing is flushed that was not already on disk. */
  async kill(): Promise<void> {
    await ended(this.child, 'SIGKILL');
  }
}

export class TactHost {
  readonly url: string;
  private readonly children = new Set<ChildProcess>();

  private constructor(
    private readonly env: Readonly<Record<string, string>>,
    readonly dataDir: string,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** A server for `dataDir` with the knowledge base in `kbDir`, on a free loopback port it keeps across restarts. */
  static async create(kbDir: string, dataDir: string, env: Readonly<Record<string, string>> = {}): Promise<TactHost> {
    const port = await freePort();
    // No TACT_SESSION_SECRET: the session secret is the one kept in the data directory, so tokens must survive restarts on their own.
    return new TactHost({ ...env, PORT: String(port), HOST: '127.0.0.1', TACT_KB_DIR: kbDir, TACT_DATA_DIR: dataDir }, dataDir, port);
  }

  /** Starts the server; fails (a restart refused) if it exits before it says it is running. */
  async start(): Promise<ServingTact> {
    const { child, output } = this.spawn('error');
    const outcome = await new Promise<'running' | 'exited'>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tact start did not say it was running within ${STARTUP_TIMEOUT_MS} ms; stderr: ${output.stderr}`)), STARTUP_TIMEOUT_MS);
      const settle = (how: 'running' | 'exited'): void => {
        clearTimeout(timer);
        resolve(how);
      };
      child.stderr?.on('data', () => RUNNING.test(output.stderr) && settle('running'));
      child.once('exit', () => settle('exited'));
    });
    if (outcome === 'exited') throw new Error(`the restart was refused: tact start exited with ${child.exitCode ?? child.signalCode} before serving; stderr: ${output.stderr.trim()}`);
    return new ServingTact(child, output);
  }

  /**
   * Starts the server and kill -9s it the moment it logs `event` (a startup
   * step, such as `slack.off`, which comes after the store has opened), before
   * it serves. Fails if the kill came too late: the server said it was running.
   */
  async startKilledAt(event: string): Promise<void> {
    const { child, output } = this.spawn('info');
    const marker = `"event":${JSON.stringify(event)}`;
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tact start never logged ${event} within ${STARTUP_TIMEOUT_MS} ms; stderr: ${output.stderr}`)), STARTUP_TIMEOUT_MS);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes(marker) && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (!stdout.includes(marker)) throw new Error(`tact start exited with ${child.exitCode} before it logged ${event}; stderr: ${output.stderr.trim()}`);
    if (RUNNING.test(output.stderr)) throw new Error(`the kill at ${event} came too late: the server was already running`);
  }

  /** Kills whatever this host started that is still running. */
  async killAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => ended(child, 'SIGKILL')));
  }

  private spawn(logLevel: 'error' | 'info'): { child: ChildProcess; output: { stderr: string } } {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
      env: { ...inheritedEnv(), ...this.env, LOG_LEVEL: logLevel },
      stdio: ['ignore', logLevel === 'error' ? 'ignore' : 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const output = { stderr: '' };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (output.stderr += chunk));
    return { child, output };
  }
}

/** The test's environment without Tact's or Slack's settings, so a developer's own never reach the server under test. */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TACT_') && !k.startsWith('SLACK_')));
}

/** Sends `signal` unless the child has already exited; resolves with its exit code once it has. */
function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
