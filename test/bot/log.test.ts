import assert from 'node:assert/strict';
import { HTTPReceiverDeferredRequestError } from '@slack/bolt';
import { WebAPIHTTPError, WebAPIRequestError } from '@slack/web-api';
import { createLogger } from '../../src/bot/log.js';

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const ADMIN_COOKIE = 'tact_admin=eyJzaWQiOiJhYmMifQ.c2lnbmF0dXJl';

describe('createLogger', () => {
  const capture = (level: 'debug' | 'info' | 'warn' | 'error' = 'info') => {
    const lines: string[] = [];
    const log = createLogger(level, (l) => lines.push(l), () => new Date('2026-11-27T10:00:00Z'));
    return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('writes one JSON object per line with time, level and event', () => {
    const { log, lines, parsed } = capture();
    log.info('server.started', { port: 3000 });
    assert.equal(lines[0]?.endsWith('\n'), true);
    assert.deepEqual(parsed()[0], { t: '2026-11-27T10:00:00.000Z', level: 'info', event: 'server.started', port: 3000 });
  });

  it('masks personal data in every string, however deep', () => {
    const { log, lines } = capture();
    log.info('message.received', { text: '我的手机13812345678，邮箱zhang.wei@example.com', nested: { list: ['卡号4111111111111111'] }, err: new Error('call 13912345678 failed') });
    assert.doesNotMatch(lines.join(''), /13812345678|zhang\.wei@|4111111111111111|13912345678/);
    assert.match(lines.join(''), /138\*\*\*\*5678/);
  });

  it('drops messages below its level', () => {
    const { log, lines } = capture('warn');
    log.info('noise');
    log.debug('more noise');
    log.warn('kept');
    assert.equal(lines.length, 1);
  });

  it('cuts huge strings, bounds depth so even a cycle ends, and copes with bigints and empty values', () => {
    const { log, parsed } = capture();
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 20; i++) cur = (cur['next'] = {}) as Record<string, unknown>;
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    log.error('odd', { huge: 'x'.repeat(100_000), deep, cycle, big: 10n, nothing: undefined, nul: null });
    const entry = parsed()[0] as Record<string, unknown>;
    assert.ok(String(entry['huge']).length <= 501);
    assert.equal(entry['big'], '10');
  });

  it('redacts every field whose name says it holds a secret, in any case and however deep', () => {
    const { log, lines, parsed } = capture();
    log.warn('request.odd', {
      method: 'GET',
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, COOKIE: ADMIN_COOKIE, 'Set-Cookie': [ADMIN_COOKIE], 'x-slack-signature': SIGNATURE, 'Proxy-Authorization': 'Basic dXNlcjpwYXNz', 'user-agent': 'Slackbot 1.0' },
      config: { slack: { botToken: BOT_TOKEN, appToken: 'xapp-1-A0-1-abc', signingSecret: 'shh-0123456789', clientSecret: 's3' }, admin: { password: 'hunter2', apiKey: 'k-123', sessionSecret: 'x'.repeat(32) } },
      list: [{ token: 'abc' }],
    });
    const line = lines.join('');
    for (const secret of [BOT_TOKEN, ADMIN_COOKIE, SIGNATURE, 'dXNlcjpwYXNz', 'xapp-1-A0-1-abc', 'shh-0123456789', 'hunter2', 'k-123', 'x'.repeat(32), '"abc"', '"s3"']) assert.ok(!line.includes(secret), `${secret} is in ${line}`);
    const entry = parsed()[0] as { headers: Record<string, unknown>; config: { slack: Record<string, unknown> }; method: string };
    assert.equal(entry.headers['Authorization'], '[redacted]');
    assert.equal(entry.headers['user-agent'], 'Slackbot 1.0', 'other headers stay');
    assert.equal(entry.config.slack['botToken'], '[redacted]');
    assert.equal(entry.method, 'GET');
  });

  it('redacts tokens and credentials written inside any string', () => {
    const { log, lines } = capture();
    log.error('slack.library', { message: `An API error occurred: invalid_auth (token ${BOT_TOKEN})`, url: 'https://shop.example/cb?token=abc123&access_token=def456&page=2', header: `Authorization: Bearer ${BOT_TOKEN}`, command: 'TACT_ADMIN_TOKEN=admin-token-0123456789abcdef npm start' });
    const line = lines.join('');
    for (const secret of [BOT_TOKEN, 'abc123', 'def456', 'admin-token-0123456789abcdef']) assert.ok(!line.includes(secret), `${secret} is in ${line}`);
    assert.match(line, /invalid_auth/);
    assert.match(line, /page=2/);
    assert.match(line, /TACT_ADMIN_TOKEN=\[redacted\] npm start/);
  });

  it("logs an error by its name, message, code and stack only, never the request, response, headers or config it carries", () => {
    const { log, lines, parsed } = capture();
    const req = { method: 'GET', url: '/slack/events', headers: { authorization: `Bearer ${BOT_TOKEN}`, cookie: ADMIN_COOKIE } };
    const deferred = new HTTPReceiverDeferredRequestError('Unhandled HTTP request (GET) made to /slack/events', req as never, { statusCode: 404 } as never);
    const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` }, data: 'token=secret-form-token' } });
    const request = new WebAPIRequestError(axiosLike);
    const http = new WebAPIHTTPError(500, 'Internal Server Error', { 'set-cookie': ADMIN_COOKIE }, { ok: false, echoed: BOT_TOKEN });
    log.error('process.uncaught', { err: deferred, errors: [request, http], reply: 'call 13912345678' });
    const line = lines.join('');
    for (const secret of [BOT_TOKEN, ADMIN_COOKIE, 'secret-form-token', '13912345678']) assert.ok(!line.includes(secret), `${secret} is in ${line}`);
    const entry = parsed()[0] as { err: Record<string, unknown>; errors: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(entry.err).sort(), ['code', 'message', 'name', 'stack']);
    assert.equal(entry.err['code'], 'slack_bolt_http_receiver_deferred_request_error');
    assert.match(String(entry.err['message']), /Unhandled HTTP request \(GET\)/);
    assert.match(String(entry.err['stack']), /log\.test\.ts/);
    assert.equal(entry.errors[0]?.['code'], 'slack_webapi_request_error');
    assert.deepEqual(entry.errors[0]?.['cause'], { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:443', code: 'ECONNREFUSED', stack: (entry.errors[0]?.['cause'] as Record<string, unknown>)['stack'] }, 'the cause, reduced the same way');
    assert.deepEqual(Object.keys(entry.errors[1] ?? {}).sort(), ['code', 'message', 'name', 'stack']);
  });
});
