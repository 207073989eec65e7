/**
 * Structured logs: one JSON object per line, with personal data masked in
 * every string field (phone numbers, ID cards, cards, e-mail, addresses), so
 * a log shipped to any system never carries a customer's details. Strings
 * are cut to a fixed length, so a hostile 100 KB message cannot flood a log.
 *
 * @example
 *   const log = createLogger('info');
 *   log.info('message.received', { session: 'abc', text: '手机13812345678' })
 *   // {"t":"2026-11-27T10:00:00.000Z","level":"info","event":"message.received","session":"abc","text":"手机138****5678"}
 */
import { maskPii } from './core/mask.js';
import { LOG_LEVELS, type LogLevel } from './config.js';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const MAX_LOGGED_STRING = 500;
const MAX_DEPTH = 4;

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line), now: () => Date = () => new Date()): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at = (lvl: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    write(`${JSON.stringify({ t: now().toISOString(), level: lvl, event, ...(clean(fields, 0) as object) })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A copy safe to log: strings masked and cut, errors reduced to name and message, depth bounded. */
function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cut(maskPii(cut(value, MAX_LOGGED_STRING * 2)), MAX_LOGGED_STRING);
  if (value instanceof Error) return { name: value.name, message: clean(value.message, depth + 1) };
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, depth + 1)]));
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
