/**
 * The server's configuration, read once from environment variables into a
 * typed value. Every variable is validated at startup; a bad one stops the
 * server with a message naming the variable, what it got and what it needs,
 * all problems at once. The README's configuration table lists the same
 * variables.
 */
import { mailConfig, type MailConfig } from './mail-config.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { cacheDirFrom } from './pipeline/index-cache.js';
import { parseTrustedProxies, type ProxyRange } from './core/trusted-proxies.js';
import { databaseUrlProblem, redactedUrl } from './store/database-url.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly kbDir: string;
  readonly dataDir: string;
  /** Where built KBs are kept between starts (TACT_CACHE_DIR; default ~/.cache/tact; null: off). */
  readonly cacheDir: string | null;
  /** Bearer token for POST /api/ask; null leaves the endpoint open (for local use). */
  readonly apiToken: string | null;
  /** Origins allowed to open the chat socket; empty allows same-origin pages only. */
  readonly allowedOrigins: readonly string[];
  /** Signs session tokens; a random one per start when unset (sessions then end with the process). */
  readonly sessionSecret: string | null;
  /** Verifies the host site's customer identities; identities are ignored when unset. */
  readonly identitySecret: string | null;
  /** Opens /admin (the KB editor and dashboard); /admin is disabled when unset. */
  readonly adminToken: string | null;
  readonly logLevel: LogLevel;
  /** Reverse proxies whose X-Forwarded-For is believed (TACT_TRUSTED_PROXIES, addresses and CIDR ranges); empty: the socket's peer is the client. */
  readonly trustedProxies: readonly ProxyRange[];
  /** Bearer token GET /metrics requires (and /healthz for its details); null leaves both open (they show counts only). */
  readonly metricsToken: string | null;
  /** Records the store's log holds before it is folded into the conversation files (TACT_STORE_FOLD_EVERY); null: the store's default. */
  readonly foldEvery: number | null;
  /** Worker threads deciding turns (TACT_DECISION_WORKERS); 0 decides on the event loop that serves the sockets. */
  readonly decisionWorkers: number;
  /** Agent assist in Slack; null when no Slack settings are given. */
  readonly slack: SlackConfig | null;
  /** PostgreSQL instead of the embedded store (TACT_DATABASE_URL, postgres://…); null: the data directory. */
  readonly databaseUrl: string | null;
  /** Redis joins instances sharing the database (TACT_REDIS_URL, redis://…; TACT_REDIS_PREFIX); null: this instance works alone. */
  readonly redis: { readonly url: string; readonly prefix: string } | null;
  /** E-mail to customers who left an address with consent, and their replies (mail-config.ts); null: no e-mail. */
  readonly mail: MailConfig | null;
  /** Conversations inactive this many days are anonymised by the daily retention task (TACT_RETENTION_DAYS; default 365); null: kept for ever (off). */
  readonly retentionDays: number | null;
}

export interface SlackConfig {
  readonly botToken: string;
  /** Socket Mode (no public URL) when an app-level token is given; otherwise HTTP mode at /slack/events. */
  readonly mode: 'socket' | 'http';
  readonly appToken: string | null;
  readonly signingSecret: string | null;
  /** Web API base URL, for tests and proxies (default Slack's own). */
  readonly apiUrl: string | null;
  /** A reply that breaks the tone rules: sent with a private note (warn), or held until the agent confirms (hold). */
  readonly toneCoaching: 'warn' | 'hold';
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Secrets shorter than this are refused: an HMAC key must not be guessable. */
export const MIN_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const secret = (name: string): string | null => {
    const v = text(name);
    if (v !== null && v.length < MIN_SECRET_LENGTH) problems.push(`${name}: must be at least ${MIN_SECRET_LENGTH} characters (got ${v.length}); generate one with: openssl rand -hex 32`);
    return v;
  };
  const config: Config = {
    port: port(text('PORT'), problems),
    host: text('HOST') ?? '0.0.0.0',
    kbDir: resolve(cwd, text('TACT_KB_DIR') ?? 'knowledge-base'),
    dataDir: resolve(cwd, text('TACT_DATA_DIR') ?? 'data'),
    cacheDir: cacheDirFrom(env, cwd),
    apiToken: secret('TACT_API_TOKEN'),
    allowedOrigins: origins(text('TACT_ALLOWED_ORIGINS'), problems),
    sessionSecret: secret('TACT_SESSION_SECRET'),
    identitySecret: secret('TACT_IDENTITY_SECRET'),
    adminToken: secret('TACT_ADMIN_TOKEN'),
    logLevel: logLevel(text('LOG_LEVEL'), problems),
    trustedProxies: trustedProxies(text('TACT_TRUSTED_PROXIES'), text('TACT_TRUST_PROXY'), problems),
    metricsToken: secret('TACT_METRICS_TOKEN'),
    foldEvery: foldEvery(text('TACT_STORE_FOLD_EVERY'), problems),
    decisionWorkers: decisionWorkers(text('TACT_DECISION_WORKERS'), problems),
    slack: slack(text, problems),
    databaseUrl: databaseUrl(text('TACT_DATABASE_URL'), problems),
    redis: redis(text('TACT_REDIS_URL'), text('TACT_REDIS_PREFIX'), problems),
    mail: mailConfig(text, problems),
    retentionDays: retentionDays(text('TACT_RETENTION_DAYS'), problems),
  };
  // Instances joined by Redis must share what they store, or each would hold a different truth.
  if (config.redis !== null && config.databaseUrl === null) problems.push('TACT_REDIS_URL: needs TACT_DATABASE_URL too (instances joined by Redis share one PostgreSQL database; the embedded store belongs to one process)');
  // Several instances share one database: a token signed by one must verify on every other.
  if (config.databaseUrl !== null && config.sessionSecret === null) problems.push('TACT_SESSION_SECRET: is required with TACT_DATABASE_URL (every instance must verify the chat tokens the others sign); generate one with: openssl rand -hex 32');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function port(v: string | null, problems: string[]): number {
  if (v === null) return 3000;
  const n = Number(v);
  if (/^\d{1,5}$/.test(v) && n >= 1 && n <= 65535) return n;
  problems.push(`PORT: must be a port number from 1 to 65535, not ${JSON.stringify(v.slice(0, 40))}`);
  return 3000;
}

/**
 * TACT_TRUSTED_PROXIES. The count TACT_TRUST_PROXY used to take believed
 * X-Forwarded-For from any peer, so a client reaching the port around the
 * proxy chose its own address: it is refused, naming its replacement,
 * rather than silently ignored (which would put every customer behind one
 * limit).
 */
function trustedProxies(list: string | null, oldCount: string | null, problems: string[]): ProxyRange[] {
  if (oldCount !== null) problems.push(`TACT_TRUST_PROXY: is replaced by TACT_TRUSTED_PROXIES, the addresses or CIDR ranges of your reverse proxies (X-Forwarded-For is believed only from them), e.g. TACT_TRUSTED_PROXIES=127.0.0.1 for nginx on this machine; remove TACT_TRUST_PROXY`);
  if (list === null) return [];
  const parsed = parseTrustedProxies(list);
  problems.push(...parsed.problems);
  return parsed.ranges;
}

/** Fewer records a fold means more small rewrites; more means a longer replay after a crash and more memory. */
const FOLD_EVERY_RANGE = { min: 10, max: 1_000_000 } as const;

function foldEvery(v: string | null, problems: string[]): number | null {
  if (v === null) return null;
  const n = Number(v);
  if (/^\d{1,7}$/.test(v) && n >= FOLD_EVERY_RANGE.min && n <= FOLD_EVERY_RANGE.max) return n;
  problems.push(`TACT_STORE_FOLD_EVERY: must be a whole number of log records from ${FOLD_EVERY_RANGE.min} to ${FOLD_EVERY_RANGE.max}, not ${JSON.stringify(v.slice(0, 40))}`);
  return null;
}

/** A year by default; at most a hundred years (longer is "off"). */
/** At least a week: shorter would anonymise a chat whose customer was promised an answer after a long weekend. */
export const RETENTION_DAYS = { default: 365, min: 7, max: 36_500 } as const;

function retentionDays(v: string | null, problems: string[]): number | null {
  if (v === null) return RETENTION_DAYS.default;
  if (v.toLowerCase() === 'off') return null;
  const n = Number(v);
  if (/^\d{1,5}$/.test(v) && n >= RETENTION_DAYS.min && n <= RETENTION_DAYS.max) return n;
  problems.push(`TACT_RETENTION_DAYS: must be a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}, or off to keep conversations for ever, not ${JSON.stringify(v.slice(0, 40))}`);
  return RETENTION_DAYS.default;
}

/** More workers than this only take memory (each holds a copy of the index): the event loop feeding them is the limit. */
const MAX_DECISION_WORKERS = 16;

/** Default: a worker per core but one (the event loop's), at most 4; none on one core. */
function decisionWorkers(v: string | null, problems: string[]): number {
  if (v === null) return Math.max(0, Math.min(4, availableParallelism() - 1));
  if (/^\d{1,2}$/.test(v) && Number(v) <= MAX_DECISION_WORKERS) return Number(v);
  problems.push(`TACT_DECISION_WORKERS: must be a whole number of worker threads from 0 (decide on the main thread) to ${MAX_DECISION_WORKERS}, not ${JSON.stringify(v.slice(0, 40))}`);
  return 0;
}

/** A PostgreSQL connection URL (database-url.ts); never shown back with its password. */
function databaseUrl(v: string | null, problems: string[]): string | null {
  if (v === null) return null;
  const problem = databaseUrlProblem(v);
  if (problem === null) return v;
  problems.push(`TACT_DATABASE_URL: ${problem}, not ${JSON.stringify(redactedUrl(v).slice(0, 80))}; for example postgres://tact@db.internal:5432/tact`);
  return null;
}

function redis(url: string | null, prefix: string | null, problems: string[]): { url: string; prefix: string } | null {
  if (prefix !== null && !/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) problems.push(`TACT_REDIS_PREFIX: must be 1–64 letters, digits, _ . : or -, not ${JSON.stringify(prefix.slice(0, 40))}`);
  if (url === null) return null;
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    // reported below
  }
  if (!ok) {
    problems.push(`TACT_REDIS_URL: must be a Redis URL such as redis://cache.internal:6379/0 (rediss:// for TLS), not ${JSON.stringify(redactedUrl(url).slice(0, 80))}`);
    return null;
  }
  return { url, prefix: prefix ?? 'tact:' };
}

function origins(v: string | null, problems: string[]): string[] {
  if (v === null) return [];
  return v
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .flatMap((o) => {
      try {
        const u = new URL(o);
        if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o.replace(/\/$/, '')) return [u.origin];
      } catch {
        // reported below
      }
      problems.push(`TACT_ALLOWED_ORIGINS: ${JSON.stringify(o.slice(0, 80))} is not an origin such as https://shop.example.com (scheme, host and port only)`);
      return [];
    });
}

function slack(text: (name: string) => string | null, problems: string[]): SlackConfig | null {
  const botToken = text('SLACK_BOT_TOKEN');
  const appToken = text('SLACK_APP_TOKEN');
  const signingSecret = text('SLACK_SIGNING_SECRET');
  const apiUrl = text('SLACK_API_URL');
  const coaching = text('TACT_TONE_COACHING') ?? 'warn';
  if (coaching !== 'warn' && coaching !== 'hold') problems.push(`TACT_TONE_COACHING: must be warn or hold, not ${JSON.stringify(coaching.slice(0, 40))}`);
  if (botToken === null) {
    if (appToken !== null || signingSecret !== null) problems.push('SLACK_BOT_TOKEN: is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the bot token starts with xoxb-)');
    return null;
  }
  if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN: must be the bot token, which starts with xoxb- (OAuth & Permissions in the app settings)');
  if (appToken !== null && !appToken.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN: must be an app-level token, which starts with xapp- (Basic Information → App-Level Tokens, scope connections:write)');
  if (appToken === null && signingSecret === null) problems.push('SLACK_SIGNING_SECRET: is required in HTTP mode (Basic Information → Signing Secret); or set SLACK_APP_TOKEN for Socket Mode');
  if (apiUrl !== null && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(apiUrl)) problems.push(`SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/, not ${JSON.stringify(apiUrl.slice(0, 80))}`);
  return { botToken, mode: appToken !== null ? 'socket' : 'http', appToken, signingSecret, apiUrl: apiUrl === null ? null : apiUrl.replace(/\/?$/, '/'), toneCoaching: coaching === 'hold' ? 'hold' : 'warn' };
}

function logLevel(v: string | null, problems: string[]): LogLevel {
  if (v === null) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(v.slice(0, 40))}`);
  return 'info';
}
