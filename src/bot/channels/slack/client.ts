/**
 * Talking to Slack's Web API: a client that fails fast (the outbox does the
 * retrying and pacing) and reports rate limits, and Bolt's and the client's
 * log lines turned into Tact's JSON lines.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { ErrorCode, type WebClient, type WebClientOptions } from '@slack/web-api';
import type { FileUploadArgs } from './file-posts.js';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SlackCaller } from './outbox.js';

export function slackClientOptions(config: SlackConfig, logger: BoltLogger): WebClientOptions {
  return { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger };
}

/** Reads a conversation's file for an upload (pipeline/attachments.ts), or null when it is gone. */
export type FileBytes = (conversationId: string, fileId: string) => Promise<Buffer | null>;

/** The outbox's way to call Slack: the method's answer reduced to the post it made. */
export function slackCaller(client: WebClient, files: FileBytes): SlackCaller {
  return async (method, args) => {
    if (method === 'files.uploadV2') return upload(client, files, args);
    const result = (await client.apiCall(method, args)) as { ts?: string; channel?: string };
    return { ...(result.ts ? { ts: result.ts } : {}), ...(result.channel ? { channel: result.channel } : {}) };
  };
}

/** A customer's file into the thread: read from the conversation's files now, never kept in the outbox. */
async function upload(client: WebClient, files: FileBytes, args: Record<string, unknown>): Promise<Record<string, never>> {
  const a = args as unknown as FileUploadArgs & { readonly channel: string; readonly thread_ts?: string };
  const bytes = await files(a.conversation, a.file);
  // Gone (deleted at the customer's request, say): Slack would refuse nothing, but there is nothing to send; dropped like a refused call.
  if (!bytes) throw Object.assign(new Error('file_not_found'), { code: ErrorCode.PlatformError, data: { error: 'file_not_found' } });
  const file = { file: bytes, filename: a.filename, title: a.title, initial_comment: a.initial_comment };
  await (a.thread_ts ? client.filesUploadV2({ ...file, channel_id: a.channel, thread_ts: a.thread_ts }) : client.filesUploadV2({ ...file, channel_id: a.channel }));
  return {};
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
