/** Slack for tests: the Web API on nock (recording every call, answering like Slack) and requests signed like Slack's. */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SLACK = 'http://slack.test';

export interface Recorded {
  readonly method: string;
  readonly body: Record<string, unknown>;
}

export function fakeSlack(): { calls: Recorded[] } {
  const calls: Recorded[] = [];
  const answer = slackAnswers(calls, SLACK);
  nock(SLACK)
    .persist()
    .post(/\/api\/(chat\.postMessage|chat\.update|chat\.postEphemeral|users\.info|views\.open|views\.publish|files\.getUploadURLExternal|files\.completeUploadExternal)/)
    .reply(200, (uri, body) => answer(uri.replace('/api/', ''), body));
  // files.uploadV2's second step: the bytes go to the upload URL files.getUploadURLExternal gave.
  nock(SLACK)
    .persist()
    .post(/^\/upload\//)
    .reply(200, (uri, body) => {
      calls.push({ method: 'upload', body: { uri, bytes: typeof body === 'string' ? Buffer.from(body, 'hex').length : JSON.stringify(body).length } });
      return 'OK';
    });
  return { calls };
}

/**
 * Slack's Web API for a server in another process (SLACK_API_URL): a real
 * HTTP server on 127.0.0.1 recording every call and answering as fakeSlack does.
 */
export async function startFakeSlackServer(): Promise<{ readonly apiUrl: string; readonly calls: Recorded[]; close(): Promise<void> }> {
  const calls: Recorded[] = [];
  let base = '';
  const answer = slackAnswers(calls, () => base);
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, body)));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    calls,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Records a Web API call (form fields; structured ones such as blocks arrive as JSON text) and answers it like Slack. */
function slackAnswers(calls: Recorded[], base: string | (() => string)): (method: string, body: unknown) => Record<string, unknown> {
  let ts = 1700000000;
  let files = 0;
  return (method, body) => {
    const parsed = (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body) as Record<string, unknown>;
    if (typeof parsed['blocks'] === 'string') parsed['blocks'] = JSON.parse(parsed['blocks']);
    calls.push({ method, body: parsed });
    if (method === 'files.getUploadURLExternal') return { ok: true, upload_url: `${typeof base === 'string' ? base : base()}/upload/F${++files}`, file_id: `F${files}` };
    if (method === 'files.completeUploadExternal') return { ok: true, files: [{ id: `F${files}` }] };
    if (method === 'users.info') return { ok: true, user: { id: parsed['user'], name: 'lin', profile: { display_name: parsed['user'] === 'U1' ? '小林' : '老王' } } };
    return { ok: true, channel: 'C0SUPPORT', ts: `${++ts}.000100` };
  };
}

export function signedHeaders(body: string, contentType: string, secret = SIGNING_SECRET): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': signature };
}

/** A button press on a handoff post, as Slack's interactivity request body. */
export function buttonPress(actionId: string, user: string, sessionId: string): string {
  const payload = { type: 'block_actions', user: { id: user, name: user }, api_app_id: 'A1', token: 't', team: { id: 'T1', domain: 't' }, trigger_id: 'tr', actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: sessionId, action_ts: '1' }] };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A message event in a handoff post's thread. */
export function threadMessage(eventId: string, channel: string, threadTs: string, user: string, text: string, botId?: string): string {
  const event = { type: 'message', channel, user, text, ts: `${Date.now() / 1000}`, thread_ts: threadTs, ...(botId ? { bot_id: botId } : {}) };
  return JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1, event });
}
