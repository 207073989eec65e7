import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import nock from 'nock';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { SIGNING_SECRET, SLACK } from '../../../helpers/fake-slack.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const MINUTE = 60_000;

/** Slack's URL check, signed as Slack signs it, with the timestamp `offsetMs` away from now. */
function urlVerification(offsetMs: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ token: 't', challenge: 'challenge-123', type: 'url_verification' });
  const ts = String(Math.floor((Date.now() + offsetMs) / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature } };
}

describe('requests to /slack/events in HTTP mode', function () {
  this.timeout(20_000);
  let server: RunningServer;
  const post = (offsetMs: number): Promise<Response> => {
    const { body, headers } = urlVerification(offsetMs);
    return fetch(`${server.url}/slack/events`, { method: 'POST', body, headers });
  };

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    server = await testServer(testConfig(shopKb(), { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${SLACK}/api/` }));
  });
  after(async () => {
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    cleanTempDirs();
  });

  it('answers a GET (and every other method but POST) with 405 and Allow: POST, and keeps serving Slack', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'OPTIONS', 'DELETE']) {
      const res = await fetch(`${server.url}/slack/events`, { method, headers: { authorization: 'Bearer secret-from-an-attacker', cookie: 'a=b' } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST', method);
    }
    const res = await post(0);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /challenge-123/);
  });

  it('refuses a signed request stamped more than 5 minutes in the future, as one more than 5 minutes old', async () => {
    assert.equal((await post(10 * MINUTE)).status, 401, 'from the future');
    assert.equal((await post(-10 * MINUTE)).status, 401, 'from the past');
    assert.equal((await post(2 * MINUTE)).status, 200, 'a clock a little ahead is fine');
  });
});
