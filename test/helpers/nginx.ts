/**
 * Debian's nginx in front of test servers, with the site Tact ships
 * (deploy/nginx/tact.conf): its upstream servers, listen addresses and
 * certificate are replaced by the test's (unprivileged ports on 127.0.0.1,
 * a fresh self-signed certificate; the IPv6 listens dropped), everything
 * else is run as it is: TLS, the redirect from plain HTTP, the WebSocket
 * upgrade, the forwarded headers. A private prefix (pid, logs, temp
 * folders) so no root-owned default is touched; stopped (and its folder
 * removed) by `stop`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { selfSignedCertificate, type Certificate } from './self-signed.js';
import { freePort } from './tact-process.js';

export const NGINX = '/usr/sbin/nginx';
const SITE = resolve(import.meta.dirname, '..', '..', 'deploy', 'nginx', 'tact.conf');

export interface Nginx {
  /** The TLS site: https://127.0.0.1:PORT. */
  readonly url: string;
  /** The plain-HTTP server, which sends browsers to HTTPS. */
  readonly httpUrl: string;
  /** What nginx presents, for 127.0.0.1 and localhost (clients trust its PEM). */
  readonly certificate: Certificate;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** The local address nginx connects to the upstreams from (proxy_bind), so they can tell it from the client's. */
  readonly proxyFrom?: string;
}

/** The shipped site with these upstream ports, these listen ports and this certificate. */
export function siteFor(upstreamPorts: readonly number[], ports: { readonly http: number; readonly https: number }, certificate: Certificate): string {
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const edits: readonly (readonly [RegExp, string])[] = [
    [/(upstream tact \{\n)(?:\s*(?:#.*|server .*;)\n)+/, `$1${servers}\n`],
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${ports.http};`],
    [/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${ports.https} ssl http2;`],
    [/^\s*listen \[::\]:\d+[^;]*;\n/gm, ''],
    [/^(\s*)ssl_certificate \S+;$/m, `$1ssl_certificate ${certificate.certFile};`],
    [/^(\s*)ssl_certificate_key \S+;$/m, `$1ssl_certificate_key ${certificate.keyFile};`],
  ];
  return edits.reduce((site, [pattern, by]) => {
    if (!pattern.test(site)) throw new Error(`${SITE}: no line matches ${pattern}, which the test replaces`);
    pattern.lastIndex = 0;
    return site.replace(pattern, by);
  }, readFileSync(SITE, 'utf8'));
}

export async function startNginx(upstreamPorts: readonly number[], opts: NginxOptions = {}): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`the nginx tests need Debian's nginx at ${NGINX} (apt-get install nginx); .ci/run installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'tact-nginx-'));
  const certificate = selfSignedCertificate(dir);
  const ports = { http: await freePort(), https: await freePort() };
  writeFileSync(join(dir, 'tact.conf'), siteFor(upstreamPorts, ports, certificate));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
  const bind = opts.proxyFrom === undefined ? '' : `proxy_bind ${opts.proxyFrom};`;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http { access_log off; ${temp} ${bind} include ${join(dir, 'tact.conf')}; }
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const why = (): string => `${stderr}${readIfThere(join(dir, 'error.log'))}`;
  await listening(ports.http, child, why);
  await listening(ports.https, child, why);
  return { url: `https://127.0.0.1:${ports.https}`, httpUrl: `http://127.0.0.1:${ports.http}`, certificate, stop: () => stopped(child, dir) };
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
