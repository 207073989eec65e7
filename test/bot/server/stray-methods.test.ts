import assert from 'node:assert/strict';
import { request } from 'node:http';
import nock from 'nock';
import type { RunningServer } from '../../../src/bot/server.js';
import { testConfig, testServer } from '../../helpers/chat-server.js';
import { SIGNING_SECRET, SLACK } from '../../helpers/fake-slack.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'] as const;

/** Every path the server answers, with the methods it is meant for. */
const ROUTES: readonly { path: string; allow: readonly string[] }[] = [
  { path: '/', allow: ['GET', 'HEAD'] },
  { path: '/widget.js', allow: ['GET', 'HEAD'] },
  { path: '/healthz', allow: ['GET'] },
  { path: '/metrics', allow: ['GET'] },
  { path: '/api/ask', allow: ['POST'] },
  { path: '/slack/events', allow: ['POST'] },
  { path: '/chat', allow: ['GET'] },
  { path: '/admin/login', allow: ['GET', 'POST'] },
  { path: '/admin/dashboard', allow: ['GET'] },
];

interface Answer {
  readonly status: number;
  readonly allow: string | undefined;
}

/** A raw request (fetch refuses TRACE and bodies on GET), with a small body on the methods that carry one. */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? '{"text":"hi"}' : '';
    const req = request(`${url}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('stray methods on every HTTP route', function () {
  this.timeout(20_000);
  let server: RunningServer;
  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    server = await testServer(testConfig(shopKb(), { TACT_ADMIN_TOKEN: ADMIN_TOKEN, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` }));
  });
  after(async () => {
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  for (const { path, allow } of ROUTES) {
    it(`answers every other method on ${path} with 405 and Allow: ${allow.join(', ')}`, async () => {
      for (const method of METHODS.filter((m) => !allow.includes(m))) {
        for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN}` }] as Record<string, string>[]) {
          const answer = await send(server.url, method, path, headers);
          // An admin page refuses a caller who has not signed in before it looks at the method.
          if (path.startsWith('/admin/') && headers['authorization'] === undefined && answer.status === 401) continue;
          assert.equal(answer.status, 405, `${method} ${path}`);
          assert.deepEqual(answer.allow?.split(/,\s*/).sort(), [...allow].sort(), `${method} ${path}: Allow`);
        }
      }
    });
  }

  it('answers a GET to /chat without a WebSocket upgrade with 426, not a crash', async () => {
    const answer = await send(server.url, 'GET', '/chat');
    assert.equal(answer.status, 426);
  });

  it('answers any method on an unknown path with 404, and the server still serves', async () => {
    for (const method of METHODS) assert.equal((await send(server.url, method, '/no/such/place')).status, 404, method);
    assert.equal((await send(server.url, 'GET', '/healthz')).status, 200);
  });
});
