/** A real zombie process, for lock tests: a stale lock's pid that `kill(pid, 0)` still finds, though nothing runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { until } from './until.js';

/** A process whose pid is a zombie for as long as its parent (returned, to kill afterwards) lives: its parent never reaps it. */
export async function zombie(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const pid = await until('the zombie pid', () => Number.parseInt(out, 10) || null);
  await until(`pid ${pid} to be a zombie`, () => existsSync(`/proc/${pid}/stat`) && /^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), 5000);
  return { pid, parent };
}
