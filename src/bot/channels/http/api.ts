/**
 * The HTTP endpoints beside the chat socket: GET /healthz (JSON), GET
 * /metrics (Prometheus text) and POST /api/ask (the decision as JSON, for
 * other channels; Bearer token when one is configured).
 *
 * /metrics and /healthz show counts only, never customer data. With a
 * metrics token (TACT_METRICS_TOKEN) /metrics needs it as Bearer, and
 * /healthz answers everyone (load balancers) but shows its details only to
 * the token; without one both stay open. A plain node:http
 * handler: it receives, validates and answers; deciding is the callback's.
 *
 * Every refusal is a JSON error with a code (`{"error": {"code", "message"}}`)
 * and the right status: 400 malformed, 401 no or wrong token, 404, 405
 * (with Allow), 413 too large, 415 not JSON, 426 a plain request to the
 * chat socket's /chat.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Customer, Title } from '../../core/address.js';
import { sameSecret } from '../../constant-time.js';
import { bearerToken, readBody } from './request.js';

export interface AskRequest {
  readonly text: string;
  readonly customer: Customer;
}

export interface ApiOptions {
  /** Bearer token POST /api/ask requires; null leaves it open. */
  readonly apiToken: string | null;
  /** Bearer token GET /metrics requires (and /healthz for more than its status); null or absent leaves them open. */
  readonly metricsToken?: string | null;
  readonly ask: (request: AskRequest) => Record<string, unknown>;
  readonly health: () => Record<string, unknown>;
  readonly metrics: () => string;
}

/** Bodies above this are refused unread: a question is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_TEXT_CHARS = 4000;
/** The chat socket's path (channels/web owns it; a channel does not import another, so it is named here too). */
const CHAT_PATH = '/chat';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createApiHandler(opts: ApiOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      await route(opts, req, res);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', 'something went wrong on our side');
      if (!res.headersSent) send(res, e.status, { error: { code: e.code, message: e.message } });
      else res.end();
      if (e.status === 413) req.destroy();
    }
  };
}

async function route(opts: ApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const allow = (method: string): void => {
    if (req.method !== method) {
      res.setHeader('Allow', method);
      throw new HttpError(405, 'method_not_allowed', `${path} accepts ${method} only`);
    }
  };
  switch (path) {
    case '/healthz':
      allow('GET');
      return send(res, 200, healthFor(opts, req));
    case '/metrics':
      allow('GET');
      authorize(opts.metricsToken ?? null, req, 'TACT_METRICS_TOKEN');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(opts.metrics());
      return;
    case '/api/ask':
      allow('POST');
      authorize(opts.apiToken, req);
      return send(res, 200, opts.ask(parseAsk(await readJson(req))));
    case CHAT_PATH:
      // The chat socket takes its WebSocket upgrades before any request handler; a plain request lands here.
      allow('GET');
      res.setHeader('Upgrade', 'websocket');
      throw new HttpError(426, 'upgrade_required', `${CHAT_PATH} is a WebSocket: connect with an Upgrade: websocket request`);
    default:
      throw new HttpError(404, 'not_found', `no endpoint ${String(path).slice(0, 100)}`);
  }
}

function authorize(token: string | null, req: IncomingMessage, variable = 'TACT_API_TOKEN'): void {
  if (token === null) return;
  if (!sameSecret(bearerToken(req) ?? '', token)) throw new HttpError(401, 'unauthorized', `send the token as "Authorization: Bearer <${variable}>"`);
}

/** The whole health report for the metrics token (or when there is none); only its status for anyone else. */
function healthFor(opts: ApiOptions, req: IncomingMessage): Record<string, unknown> {
  const health = opts.health();
  const token = opts.metricsToken ?? null;
  if (token === null || sameSecret(bearerToken(req) ?? '', token)) return health;
  return { status: health['status'] };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  const body = await readBody(req, MAX_BODY_BYTES, () => new HttpError(413, 'too_large', `the body may be at most ${MAX_BODY_BYTES} bytes`));
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'the body is not valid JSON');
  }
}

function parseAsk(body: unknown): AskRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'invalid_body', 'the body must be an object: {"text": "...", "name"?: "...", "title"?: "mr"|"ms"}');
  const { text, name, title } = body as Record<string, unknown>;
  if (typeof text !== 'string') throw new HttpError(400, 'invalid_text', '"text" must be a string');
  if (text.length > MAX_TEXT_CHARS) throw new HttpError(400, 'text_too_long', `"text" may be at most ${MAX_TEXT_CHARS} characters`);
  if (name !== undefined && typeof name !== 'string') throw new HttpError(400, 'invalid_name', '"name" must be a string');
  if (title !== undefined && title !== 'mr' && title !== 'ms') throw new HttpError(400, 'invalid_title', '"title" must be "mr" or "ms"');
  return { text, customer: { ...(name !== undefined ? { name } : {}), ...(title !== undefined ? { title: title as Title } : {}) } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}
