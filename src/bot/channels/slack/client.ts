/**
 * Talking to Slack's Web API: a client that fails fast (the outbox does the
 * retrying and pacing) and reports rate limits, and Bolt's and the client's
 * log lines turned into Tact's JSON lines.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { type WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SlackCaller } from './outbox.js';

export function slackClientOptions(config: SlackConfig, logger: BoltLogger): WebClientOptions {
  return { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger };
}

/** The outbox's way to call Slack: the method's answer reduced to the post it made. */
export function slackCaller(client: WebClient): SlackCaller {
  return async (method, args) => {
    const result = (await client.apiCall(method, args)) as { ts?: string; channel?: string };
    return { ...(result.ts ? { ts: result.ts } : {}), ...(result.channel ? { channel: result.channel } : {}) };
  };
}

/** Bolt's and the Web API client's log lines, as Tact's JSON lines (personal data masked); their debug and info chatter dropped. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : String(m))).join(' ');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => log.warn('slack.library', { message: text(msg) }),
    error: (...msg: unknown[]) => log.error('slack.library', { message: text(msg) }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
