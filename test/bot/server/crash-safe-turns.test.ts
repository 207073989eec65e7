import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { ChatMessage } from '../../../src/bot/channels/web/protocol.js';
import { SessionSigner } from '../../../src/bot/channels/web/session.js';
import type { RunningServer } from '../../../src/bot/server.js';
import type { StoredEvent } from '../../../src/bot/store/store.js';
import { ChatClient, TEST_SECRET, testConfig, testServer } from '../../helpers/chat-server.js';
import { crashedAfterStoring, freePort, killed, serve } from '../../helpers/child-server.js';
import { ioError, once, withFaults } from '../../helpers/faulty-store.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';

const QUESTION = '下单后多久发货？';
const ANSWER = /48小时内发货/;
const AT = '2026-11-27T02:00:00.000Z';
/** Different questions, each answered by one FAQ (the same question twice would rightly be handed to a person). */
const QUESTIONS = ['下单后多久发货？', '退款多久到账？', '怎么开发票？', '忘记密码怎么办？'];

function newSession(): { id: string; token: string } {
  const { session, token } = new SessionSigner(TEST_SECRET).issue(Math.floor(Date.now() / 1000));
  return { id: session.id, token };
}

function customerSaid(id: string, text = QUESTION): StoredEvent {
  return { kind: 'message', at: AT, from: 'customer', text, id };
}

function answers(history: readonly ChatMessage[]): ChatMessage[] {
  return history.filter((m) => m.from === 'bot' && ANSWER.test(m.text));
}

function turnsFinished(events: readonly StoredEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'turn' ? [e.id] : []));
}

describe('crash-safe turns', function () {
  this.timeout(20_000);
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(children.splice(0).map(killed));
  });
  after(() => cleanTempDirs());

  async function start(config: ReturnType<typeof testConfig>, opts: Parameters<typeof testServer>[1] = {}): Promise<RunningServer> {
    const server = await testServer(config, opts);
    servers.push(server);
    return server;
  }

  async function open(url: string, hello: Record<string, unknown>): Promise<Awaited<ReturnType<typeof ChatClient.open>>> {
    const opened = await ChatClient.open(url, hello);
    clients.push(opened.client);
    return opened;
  }

  describe('at startup', () => {
    it('answers a message that was stored and acknowledged but whose turn never ran, so the returning customer finds the answer', async () => {
      const config = testConfig(shopKb());
      const session = newSession();
      await crashedAfterStoring(config.dataDir, session.id, [customerSaid('asked-before-crash')]);

      const server = await start(config);
      const { welcome } = await open(server.url, { token: session.token, after: 0 });

      assert.deepEqual(
        welcome.history.map((m) => m.from),
        ['customer', 'bot'],
      );
      assert.match((welcome.history[1] as ChatMessage).text, ANSWER);
      assert.deepEqual(turnsFinished(await server.store.read(session.id)), ['asked-before-crash'], 'the turn is marked finished, so the next start does not answer it again');
    });

    it('re-runs the turns of one conversation in the order the customer sent them, with the button they tapped', async () => {
      const config = testConfig(shopKb());
      const session = newSession();
      await crashedAfterStoring(config.dataDir, session.id, [customerSaid('first', '退款多久到账？'), { kind: 'message', at: AT, from: 'customer', text: '转人工', id: 'second', payload: 'human' }]);

      const server = await start(config);
      const { welcome } = await open(server.url, { token: session.token, after: 0 });

      const bot = welcome.history.filter((m) => m.from === 'bot').map((m) => m.text);
      assert.match(bot[0] ?? '', /1-3个工作日/, 'the first message is answered first');
      assert.equal(welcome.status, 'queued', 'the tapped "talk to a person" payload was seen: the customer waits for a person');
      assert.deepEqual(turnsFinished(await server.store.read(session.id)), ['first', 'second']);
    });

    it('does not answer twice a message whose reply was stored before the crash: it only marks the turn finished', async () => {
      const config = testConfig(shopKb());
      const session = newSession();
      await crashedAfterStoring(config.dataDir, session.id, [customerSaid('answered'), { kind: 'message', at: AT, from: 'bot', text: '您好，订单会在付款后48小时内发货。', turn: 'answered' }]);

      const server = await start(config);
      const { welcome } = await open(server.url, { token: session.token, after: 0 });

      assert.equal(answers(welcome.history).length, 1);
      assert.deepEqual(turnsFinished(await server.store.read(session.id)), ['answered']);
    });

    it("answers a message after which only the greeting turn's dialog state was stored: the customer typed before the greeting's turn had finished", async () => {
      const config = testConfig(shopKb());
      const session = newSession();
      await crashedAfterStoring(config.dataDir, session.id, [customerSaid('early'), { kind: 'dialog', at: AT, key: `tact-web/conversations/personal-${session.id}-false-${session.id}/`, state: { dialogState: { dialogStack: [] } } }]);

      const server = await start(config);
      const { welcome } = await open(server.url, { token: session.token, after: 0 });

      assert.equal(answers(welcome.history).length, 1, 'the question is answered after the restart');
      assert.deepEqual(turnsFinished(await server.store.read(session.id)), ['early']);
    });
  });

  it('answers every acknowledged message after the server is killed right after an ack', async () => {
    this.timeout(30_000);
    const env = { PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: tempDir() };
    const first = await serve(env);
    children.push(first.process);
    assert.equal(first.exitCode, null, first.stderr);
    const customers = await Promise.all([0, 1].map(() => open(first.url, { lang: 'zh' })));
    await Promise.all(customers.map(({ client }) => client.reply())); // the greetings
    const acked: string[] = [];
    for (const { client } of customers) {
      client.ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; id?: string };
        if (frame.type !== 'ack' || !frame.id) return;
        acked.push(frame.id);
        first.process.kill('SIGKILL'); // at the first ack seen: its turn, and those queued behind it, cannot all have finished
      });
    }
    for (const [i, text] of QUESTIONS.entries()) for (const [n, { client }] of customers.entries()) client.send({ type: 'message', id: `c${n}-q${i}`, text });
    await new Promise<void>((resolve) => first.process.once('exit', () => resolve()));
    assert.ok(acked.length >= 1, 'an ack was seen before the kill');

    const second = await serve(env);
    children.push(second.process);
    assert.equal(second.exitCode, null, second.stderr);
    for (const [n, { welcome }] of customers.entries()) {
      const resumed = await open(second.url, { token: welcome.session, after: 0 });
      const history = resumed.welcome.history;
      const asked = history.filter((m) => m.from === 'customer');
      for (const id of acked.filter((a) => a.startsWith(`c${n}-`))) assert.ok(asked.some((m) => m.id === id), `acknowledged ${id} is stored`);
      const replies = history.slice(1).filter((m) => m.from === 'bot'); // after the greeting
      assert.equal(replies.length, asked.length, `every stored question has exactly one answer: ${JSON.stringify(history.map((m) => [m.from, m.id ?? m.text.slice(0, 12)]))}`);
    }
  });

  describe('a re-sent message', () => {
    it('is stored and answered for real after STORE_FAILED, with the number the store gave it', async () => {
      const config = testConfig(shopKb());
      const server = await start(config, {
        wrapStore: (store) => withFaults(store, { append: once((_id, e) => e.kind === 'message' && e.id === 'flaky', () => ioError('EIO', 'i/o error, write')) }),
      });
      const { client, welcome } = await open(server.url, { lang: 'zh' });
      await client.reply(); // the greeting
      client.send({ type: 'message', id: 'flaky', text: QUESTION });
      const failed = await client.next((f) => f.type === 'error');
      assert.equal(failed.type === 'error' ? failed.code : null, 'STORE_FAILED');

      const ack = await client.say(QUESTION, undefined, 'flaky');
      assert.match((await client.reply(3000)).text, ANSWER);

      const id = welcome.session.split('.')[0] as string;
      const stored = (await server.store.read(id)).filter((e) => e.kind === 'message' && e.id === 'flaky');
      assert.equal(stored.length, 1, 'stored once');
      const again = await open(server.url, { token: welcome.session, after: 0 });
      assert.equal(again.welcome.history.find((m) => m.id === 'flaky')?.seq, ack.seq, 'the ack carries the number the history shows');
    });

    it('runs the turn again when the first run failed, and only once', async () => {
      const config = testConfig(shopKb());
      const server = await start(config, {
        wrapStore: (store) => withFaults(store, { append: once((_id, e) => e.kind === 'decision', () => ioError('ENOSPC', 'no space left on device, write')) }),
      });
      const { client, welcome } = await open(server.url, { lang: 'zh' });
      await client.reply(); // the greeting
      await client.say(QUESTION, undefined, 'unanswered');
      await assert.rejects(client.reply(500), /no matching frame/, 'the turn failed: no answer yet');

      await client.say(QUESTION, undefined, 'unanswered');
      assert.match((await client.reply(3000)).text, ANSWER);
      await client.say(QUESTION, undefined, 'unanswered');
      await assert.rejects(client.reply(500), /no matching frame/, 'a finished turn is not run again');

      const id = welcome.session.split('.')[0] as string;
      const events = await server.store.read(id);
      assert.equal(events.filter((e) => e.kind === 'message' && e.id === 'unanswered').length, 1);
      assert.deepEqual(turnsFinished(events), ['unanswered']);
    });
  });
});
