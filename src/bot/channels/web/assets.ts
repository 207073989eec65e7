/**
 * The widget's files: /widget.js (the bundle a host page embeds) and the
 * demo shop page at /. Both are built into dist/widget by `npm run build`
 * and read once at startup.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface WidgetAssets {
  readonly script: Buffer | null;
  readonly demo: Buffer | null;
}

/** The demo page may load its own scripts and talk to its own server only. */
export const DEMO_CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

export function loadWidgetAssets(root: string): WidgetAssets {
  const read = (name: string): Buffer | null => {
    try {
      return readFileSync(join(root, 'dist', 'widget', name));
    } catch {
      return null;
    }
  };
  return { script: read('widget.js'), demo: read('demo.html') };
}

/** Serves GET / and /widget.js; returns false for any other request. */
export function serveWidgetAssets(assets: WidgetAssets, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/' && path !== '/widget.js') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'method_not_allowed', message: `${path} accepts GET only` } }));
    return true;
  }
  const body = path === '/' ? assets.demo : assets.script;
  if (!body) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The widget is not built: run `npm run build` and restart.\n');
    return true;
  }
  const headers =
    path === '/'
      ? { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': DEMO_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }
      : { 'Content-Type': 'text/javascript; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' };
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
