import assert from 'node:assert/strict';
import { ErrorCode } from '@slack/web-api';
import { createLogger } from '../../../../src/bot/log.js';
import { SlackOutbox, type SlackCaller, type SlackMethod } from '../../../../src/bot/channels/slack/outbox.js';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../../helpers/temp-kb.js';

const quiet = createLogger('error', () => undefined);
const INTERVAL = 40;

interface Call {
  readonly method: SlackMethod;
  readonly args: Record<string, unknown>;
  readonly at: number;
}

/** A Slack Web API double: answers each call with the next scripted outcome (default: ok), recording every attempt. */
function slack(outcomes: (Error | null)[] = []) {
  const calls: Call[] = [];
  let ts = 1000;
  const caller: SlackCaller = async (method, args) => {
    calls.push({ method, args, at: Date.now() });
    const outcome = outcomes.shift();
    if (outcome) throw outcome;
    return { ts: `${++ts}.000100` };
  };
  return { calls, caller };
}

const error = (code: ErrorCode, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(code), { code, ...extra });

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the Slack outbox', () => {
  const stores: Store[] = [];
  const open = async (dir = tempDir()): Promise<{ store: Store; dir: string }> => {
    const store = await openLowdbStore(dir);
    stores.push(store);
    return { store, dir };
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  after(cleanTempDirs);

  it('sends each call once, in order per channel, no faster than one per interval', async () => {
    const { store } = await open();
    const api = slack();
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL);
    for (let i = 0; i < 4; i++) await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: `a${i}` } });
    await outbox.send({ method: 'chat.postMessage', channel: 'C2', args: { text: 'b0' } });
    await until('all sent', () => api.calls.length === 5);
    const c1 = api.calls.filter((c) => c.args['channel'] === 'C1');
    assert.deepEqual(c1.map((c) => c.args['text']), ['a0', 'a1', 'a2', 'a3']);
    for (let i = 1; i < c1.length; i++) assert.ok((c1[i] as Call).at - (c1[i - 1] as Call).at >= INTERVAL - 2, 'paced per channel');
    assert.ok((api.calls.find((c) => c.args['channel'] === 'C2') as Call).at < (c1[1] as Call).at, 'another channel does not wait its turn');
    await outbox.stop();
  });

  it('threads a reply under the post remembered for its session', async () => {
    const { store } = await open();
    const api = slack();
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL);
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'handoff' }, rememberAs: 'session-1' });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'transcript' }, threadOf: 'session-1' });
    await outbox.send({ method: 'chat.update', channel: 'C1', args: { text: 'claimed' }, threadOf: 'session-1' });
    await until('all sent', () => api.calls.length === 3);
    const post = outbox.post('session-1');
    assert.ok(post);
    assert.equal(api.calls[1]?.args['thread_ts'], post.ts);
    assert.equal(api.calls[2]?.args['ts'], post.ts);
    assert.equal(outbox.keyOf('C1', post.ts), 'session-1');
    await outbox.stop();
  });

  it('waits out a 429 for exactly its Retry-After, then backs off through 5xx and network errors, sending each call once', async () => {
    const { store } = await open();
    const api = slack([error(ErrorCode.RateLimitedError, { retryAfter: 0.3 }), error(ErrorCode.HTTPError, { statusCode: 503 }), error(ErrorCode.RequestError)]);
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL);
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'one' } });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'two' } });
    await until('a failure is reported', () => outbox.status().failingForMs > 0 || api.calls.length > 1);
    await until('both sent', () => api.calls.filter((c) => c.args['text'] === 'two').length === 1, 10_000);
    assert.deepEqual(api.calls.map((c) => c.args['text']), ['one', 'one', 'one', 'one', 'two']);
    assert.ok((api.calls[1] as Call).at - (api.calls[0] as Call).at >= 290, 'Retry-After honoured');
    await until('the queue is empty', () => outbox.status().waiting === 0);
    assert.equal(outbox.status().failingForMs, 0, 'healthy again');
    await outbox.stop();
  });

  it('drops a call Slack refuses for good, and goes on with the next', async () => {
    const { store } = await open();
    const api = slack([error(ErrorCode.PlatformError, { data: { error: 'channel_not_found' } })]);
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL);
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'doomed' } });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'fine' } });
    await until('the next is sent', () => api.calls.length === 2);
    assert.deepEqual(api.calls.map((c) => c.args['text']), ['doomed', 'fine']);
    await outbox.stop();
  });

  it('sends after a restart what was stored but not done, and nothing that was', async () => {
    const { store, dir } = await open();
    const calls: string[] = [];
    // Slack answers for C0 but is down for C1.
    const down: SlackCaller = async (_method, args) => {
      calls.push(String(args['text']));
      if (args['channel'] === 'C1') throw error(ErrorCode.HTTPError, { statusCode: 503 });
      return { ts: '1700000000.000100' };
    };
    const first = await SlackOutbox.open(store, down, quiet, INTERVAL);
    await first.send({ method: 'chat.postMessage', channel: 'C0', args: { text: 'done before' }, rememberAs: 's0' });
    await first.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'pending 1' } });
    await first.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'pending 2' } });
    await until('C0 is done and C1 has failed', () => calls.includes('done before') && calls.includes('pending 1'));
    await first.stop();
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    const { store: again } = await open(dir);
    const up = slack();
    const second = await SlackOutbox.open(again, up.caller, quiet, INTERVAL);
    await until('the backlog is sent', () => up.calls.length === 2);
    await new Promise((r) => setTimeout(r, 3 * INTERVAL));
    assert.deepEqual(up.calls.map((c) => c.args['text']), ['pending 1', 'pending 2']);
    assert.deepEqual(second.post('s0'), { channel: 'C0', ts: '1700000000.000100' }, 'posts are remembered across the restart');
    await second.stop();
  });
});
