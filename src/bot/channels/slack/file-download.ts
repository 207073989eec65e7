/**
 * A file an agent shares in a handoff thread, fetched from Slack to send on
 * to the customer. Only from Slack's own file hosts (or the API host Tact
 * is configured with), with the bot token, and never more than a customer
 * may send: a message event naming any other URL gets nothing fetched.
 */
import { MAX_FILE_BYTES } from '../../files/prepare.js';

/** A file as a Slack message event lists it. */
export interface SlackFile {
  readonly id?: string;
  readonly name?: string;
  readonly size?: number;
  readonly url_private?: string;
  readonly url_private_download?: string;
}

/** Files one thread message may send on. */
export const MAX_FILES_PER_MESSAGE = 3;

export class SlackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackFileError';
  }
}

/** Whether a URL is one Slack serves files from (or the configured API's own host, as in tests). */
export function isSlackFileUrl(raw: string, apiUrl: string | null): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (apiUrl !== null && url.host === new URL(apiUrl).host) return true;
  return url.protocol === 'https:' && (url.hostname === 'files.slack.com' || url.hostname.endsWith('.slack.com') || url.hostname.endsWith('.slack-edge.com'));
}

export async function downloadSlackFile(file: SlackFile, token: string, apiUrl: string | null): Promise<Buffer> {
  const url = file.url_private_download ?? file.url_private;
  if (!url || !isSlackFileUrl(url, apiUrl)) throw new SlackFileError('it is not a file Slack serves');
  if ((file.size ?? 0) > MAX_FILE_BYTES) throw new SlackFileError(`it is over ${MAX_FILE_BYTES / (1024 * 1024)} MB`);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) throw new SlackFileError(`Slack answered ${res.status}`);
  if (!isSlackFileUrl(res.url, apiUrl)) throw new SlackFileError('Slack sent it from elsewhere');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_FILE_BYTES) throw new SlackFileError(`it is over ${MAX_FILE_BYTES / (1024 * 1024)} MB`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
