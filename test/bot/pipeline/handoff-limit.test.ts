import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../../../src/bot/limits.js';
import type { RunningServer } from '../../../src/bot/server.js';
import { ChatClient, LOOSE_LIMITS, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

const DEMO_KB = resolve('knowledge-base');
/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = new Date('2026-11-27T02:00:00Z');

type Frame = ChatClient['frames'][number];
const isStatus = (f: Frame): boolean => f.type === 'status';

describe('handoff limits: one script cannot jam the human queue', function () {
  this.timeout(20_000);
  let server: RunningServer;
  const clients: ChatClient[] = [];

  before(async () => {
    // New sessions are not limited here, so only the handoff limit stands between the flood and the queue.
    server = await testServer(testConfig(DEMO_KB), { now: () => OPEN, limits: { ...DEFAULT_LIMITS, newSessions: LOOSE_LIMITS.newSessions } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  async function open(lang: 'zh' | 'en', from?: string): Promise<{ client: ChatClient; session: string }> {
    const { client, welcome } = await ChatClient.open(server.url, { lang }, {}, from);
    clients.push(client);
    await client.reply(); // the greeting
    return { client, session: welcome.session.split('.')[0] as string };
  }

  /** Asks for a person with the button; resolves with the queue position, or null when the customer was not queued. */
  async function askForPerson(client: ChatClient, text: string): Promise<{ position: number | null; said: string[] }> {
    const before = client.frames.length;
    await client.say(text, 'human');
    // The reply to the request, then either a queue status or nothing more.
    await client.reply();
    const settled = await Promise.race([client.next(isStatus, 3000).catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
    const said = client.frames.slice(before).flatMap((f) => (f.type === 'message' && f.from === 'bot' ? [f.text] : []));
    return { position: settled?.type === 'status' && settled.status === 'queued' ? (settled.position ?? null) : null, said };
  }

  it('queues only a few handoffs from one anonymous address, so a real customer stays near the front', async () => {
    const flood = await Promise.all(Array.from({ length: 60 }, () => open('zh')));
    const results = await Promise.all(flood.map(({ client }) => askForPerson(client, '转人工')));
    const queued = results.filter((r) => r.position !== null).length;
    assert.equal(queued, DEFAULT_LIMITS.handoffsPerAddress.burst, 'only the burst from one address enters the queue');
    const refused = results.find((r) => r.position === null);
    assert.match(refused?.said.join('\n') ?? '', /请您约 .+ 后再试/, 'a customer over the limit is told politely, in their language, when to try again');

    const real = await open('en', '127.0.0.2');
    const { position } = await askForPerson(real.client, 'I want to talk to a person');
    assert.ok(position !== null && position <= DEFAULT_LIMITS.handoffsPerAddress.burst + 1, `the real customer is number ${position}`);
    assert.equal(server.desk.waiting().length, DEFAULT_LIMITS.handoffsPerAddress.burst + 1);
  });

  it('does not queue one session again and again after each hand-back', async () => {
    const { client, session } = await open('en', '127.0.0.3');
    const positions: (number | null)[] = [];
    let last: string[] = [];
    for (let i = 0; i <= DEFAULT_LIMITS.handoffsPerSession.burst; i++) {
      const r = await askForPerson(client, 'talk to a person');
      positions.push(r.position);
      last = r.said;
      if (r.position !== null) await server.desk.returnToBot(session, 'Lin');
    }
    // The same place each time (behind whoever an earlier test left in the default team's queue), then refused.
    const place = positions[0] ?? null;
    assert.notEqual(place, null);
    assert.deepEqual(positions, [...Array<number | null>(DEFAULT_LIMITS.handoffsPerSession.burst).fill(place), null]);
    assert.match(last.join('\n'), /try again in about/);
    assert.equal(server.desk.position(session), null, 'not queued again');
  });

  it('files no complaint over the limit: the customer is told when to try again instead of getting a ticket', async () => {
    const { client, session } = await open('zh', '127.0.0.4');
    for (let i = 0; i < DEFAULT_LIMITS.handoffsPerSession.burst; i++) {
      assert.notEqual((await askForPerson(client, '转人工')).position, null);
      await server.desk.returnToBot(session, '小林');
    }
    await client.say('我要投诉，快递员态度太差了，把我的包裹扔在门口');
    await client.reply(); // the apology
    await client.reply(); // order number?
    await client.say('跳过', 'skip');
    await client.reply(); // what happened?
    await client.say('包裹被扔在门口淋湿了');
    await client.reply(); // what do you want?
    await client.say('希望补发');
    await client.reply(); // is this right?
    await client.say('是的', 'yes');
    await client.reply(); // contact?
    await client.say('跳过', 'skip');
    const answer = await client.reply();
    assert.match(answer.text, /请您约 .+ 后再试/);
    assert.doesNotMatch(answer.text, /投诉单号/);
    assert.equal(server.desk.position(session), null);
    const handoffs = (await server.store.read(session)).filter((e) => e.kind === 'handoff');
    assert.equal(handoffs.length, DEFAULT_LIMITS.handoffsPerSession.burst, 'no handoff stored for the refused complaint');
  });
});
