/**
 * Structured logs: one JSON object per line (on stdout, journal.ts; with
 * the priority journald reads when run by systemd), with personal data masked in
 * every string field (phone numbers, ID cards, cards, e-mail, addresses), so
 * a log shipped to any system never carries a customer's details. Strings
 * are cut to a fixed length, so a hostile 100 KB message cannot flood a log.
 *
 * Secrets never reach a log either: a field whose name says it holds one
 * (authorization, cookie, token, secret, password, signature, api key…, in
 * any case, however deep) is redacted, and so are tokens written inside a
 * text (Slack's xoxb-…, "Bearer …", ?token=… in a URL). An error is logged
 * by its name, message, code and stack (and its cause, the same way) only:
 * Bolt's and Slack's errors carry the request, response, headers or client
 * config, with the Authorization header and cookies in them.
 *
 * @example
 *   const log = createLogger('info');
 *   log.info('message.received', { session: 'abc', text: '手机13812345678' })
 *   // {"t":"2026-11-27T10:00:00.000Z","level":"info","event":"message.received","session":"abc","text":"手机138****5678"}
 */
import { maskPii } from './core/mask.js';
import { LOG_LEVELS, type LogLevel } from './config.js';
import { stdoutWriter, type LineWriter } from './journal.js';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const MAX_LOGGED_STRING = 500;
const MAX_LOGGED_STACK = 2000;
const MAX_DEPTH = 4;
export const REDACTED = '[redacted]';
/** Field names that hold a secret, wherever they are (headers, config, bodies). */
const SECRET_FIELD = /authori[sz]ation|cookie|token|secret|passw(?:or)?d|passphrase|signature|api[-_]?key|credential|private[-_]?key/i;
/** Secrets written inside a text: Slack tokens, an Authorization header's value, credentials in a URL or form. */
const SECRET_TEXT: readonly (readonly [RegExp, string])[] = [
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, REDACTED],
  [/\b([Bb]earer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, `$1 ${REDACTED}`],
  [/\b([A-Za-z_]*(?:token|secret|passw(?:or)?d|signature|api_?key)|sig)=[^&\s"']+/gi, `$1=${REDACTED}`],
];

export function createLogger(level: LogLevel, write: LineWriter = stdoutWriter(), now: () => Date = () => new Date()): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at = (lvl: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    write(`${JSON.stringify({ t: now().toISOString(), level: lvl, event, ...(clean(fields, 0) as object) })}\n`, lvl);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A copy safe to log: secrets redacted, strings masked and cut, errors reduced to their safe fields, depth bounded. */
function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return text(value, MAX_LOGGED_STRING);
  if (value instanceof Error) return safeError(value, depth);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? REDACTED : clean(v, depth + 1)]));
}

/** Name, message, code, stack and cause: never the request, response, headers or config an error may carry. */
function safeError(e: Error, depth: number): Record<string, unknown> {
  const code = 'code' in e && (typeof e.code === 'string' || typeof e.code === 'number') ? e.code : undefined;
  return {
    name: e.name,
    message: text(e.message, MAX_LOGGED_STRING),
    ...(code === undefined ? {} : { code }),
    ...(e.stack === undefined ? {} : { stack: text(e.stack, MAX_LOGGED_STACK) }),
    ...(e.cause instanceof Error && depth < MAX_DEPTH ? { cause: safeError(e.cause, depth + 1) } : {}),
  };
}

function text(s: string, max: number): string {
  const redacted = SECRET_TEXT.reduce((t, [pattern, by]) => t.replace(pattern, by), cut(s, max * 2));
  return cut(maskPii(redacted), max);
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
