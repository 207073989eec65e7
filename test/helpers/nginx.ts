/**
 * Debian's nginx in front of test servers, with the site file Tact ships
 * (deploy/nginx/tact.conf): its upstream servers and listen address are
 * replaced by the test's, everything else is run as it is. A private prefix
 * (pid, logs, temp folders) so no root-owned default is touched; stopped
 * (and its folder removed) by `stop`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NGINX = '/usr/sbin/nginx';
const SITE = resolve(import.meta.dirname, '..', '..', 'deploy', 'nginx', 'tact.conf');

export interface Nginx {
  readonly url: string;
  stop(): Promise<void>;
}

/** The shipped site with these upstream ports and this listen port. */
export function siteFor(upstreamPorts: readonly number[], port: number): string {
  const site = readFileSync(SITE, 'utf8');
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const replaced = site.replace(/(upstream tact \{\n)(?:\s*(?:#.*|server .*;)\n)+/, `$1${servers}\n`).replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  if (replaced === site || !replaced.includes(`listen 127.0.0.1:${port};`)) throw new Error(`${SITE}: its upstream or listen line is not where the test expects it`);
  return replaced;
}

export async function startNginx(upstreamPorts: readonly number[], port: number): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`the nginx tests need Debian's nginx at ${NGINX} (apt-get install nginx); .ci/run installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'tact-nginx-'));
  writeFileSync(join(dir, 'tact.conf'), siteFor(upstreamPorts, port));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http { access_log off; ${temp} include ${join(dir, 'tact.conf')}; }
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  await listening(port, child, () => `${stderr}${readIfThere(join(dir, 'error.log'))}`);
  return { url: `http://127.0.0.1:${port}`, stop: () => stopped(child, dir) };
}

async function listening(port: number, child: ChildProcess, why: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${why()}`);
    if (await accepts(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} within 10 s: ${why()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

function readIfThere(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function stopped(child: ChildProcess, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGQUIT');
  });
}
