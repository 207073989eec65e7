import assert from 'node:assert/strict';
import { CLOSE } from '../../../../src/bot/channels/web/protocol.js';
import { DEFAULT_LIMITS } from '../../../../src/bot/limits.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

type Frame = ChatClient['frames'][number];
const isRefusal = (f: Frame): boolean => f.type === 'error' && f.code === 'TOO_MANY_SESSIONS';

describe('the chat socket under a flood of new sessions', function () {
  this.timeout(20_000);
  const clients: ChatClient[] = [];
  const servers: RunningServer[] = [];
  const start = async (env: Record<string, string> = {}): Promise<RunningServer> => {
    const server = await testServer(testConfig(shopKb(), env), { limits: DEFAULT_LIMITS });
    servers.push(server);
    return server;
  };
  /** Says hello with no token from `from`; resolves with the first answer: welcome, or the refusal and the close. */
  async function hello(server: RunningServer, headers: Record<string, string> = {}, from?: string, token?: string): Promise<{ client: ChatClient; welcomed: boolean }> {
    const client = await ChatClient.connect(server.url, headers, from);
    clients.push(client);
    client.send({ type: 'hello', lang: 'en', ...(token ? { token } : {}) });
    const first = await client.next((f) => f.type === 'welcome' || isRefusal(f));
    return { client, welcomed: first.type === 'welcome' };
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.close();
  });
  after(() => cleanTempDirs());

  it('refuses new sessions from one address past its burst, says when to retry, and lets another address in', async () => {
    const server = await start();
    const burst = DEFAULT_LIMITS.newSessions.burst;
    const first = await Promise.all(Array.from({ length: burst }, () => hello(server)));
    assert.ok(first.every((h) => h.welcomed), 'the burst gets in');
    const token = (first[0]?.client.frames.find((f) => f.type === 'welcome') as Extract<Frame, { type: 'welcome' }>).session;

    const flood = await Promise.all(Array.from({ length: 30 }, () => hello(server)));
    assert.equal(flood.filter((h) => h.welcomed).length, 0, 'nothing past the burst gets in');
    const refused = flood[0]?.client as ChatClient;
    const error = refused.frames.find(isRefusal);
    assert.ok(error?.type === 'error' && error.retryAfter !== undefined && error.retryAfter >= 1, `a retry hint in seconds: ${JSON.stringify(error)}`);
    const closed = await refused.waitClose();
    assert.equal(closed.code, CLOSE.tooManySessions);
    assert.match(closed.reason, /retry after \d+ s/);

    assert.ok((await hello(server, {}, '127.0.0.2')).welcomed, 'another address still gets a new session');
    assert.ok((await hello(server, {}, undefined, token)).welcomed, 'a customer resuming their own session is not counted');
  });

  it('ignores X-Forwarded-For unless it comes from a proxy on TACT_TRUSTED_PROXIES', async () => {
    const open = await start();
    const burst = DEFAULT_LIMITS.newSessions.burst;
    const spoofed = await Promise.all(Array.from({ length: burst + 5 }, (_, i) => hello(open, { 'X-Forwarded-For': `198.51.100.${i}` })));
    assert.equal(spoofed.filter((h) => h.welcomed).length, burst, 'a client cannot pick a new address per hello');

    // 127.0.0.1 plays the proxy; 127.0.0.2 a client reaching the port around it.
    const proxied = await start({ TACT_TRUSTED_PROXIES: '127.0.0.1' });
    const around = await Promise.all(Array.from({ length: burst + 5 }, (_, i) => hello(proxied, { 'X-Forwarded-For': `198.51.100.${i}` }, '127.0.0.2')));
    assert.equal(around.filter((h) => h.welcomed).length, burst, 'a spoofed header from an untrusted peer is ignored');
    const behind = await Promise.all(Array.from({ length: burst + 5 }, () => hello(proxied, { 'X-Forwarded-For': '203.0.113.9' }, '127.0.0.1')));
    assert.equal(behind.filter((h) => h.welcomed).length, burst, 'the address the trusted proxy saw is counted');
    assert.ok((await hello(proxied, { 'X-Forwarded-For': '203.0.113.10' }, '127.0.0.1')).welcomed, 'another client behind the same proxy gets in');
  });
});
