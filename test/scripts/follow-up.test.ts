import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { RunningServer } from '../../src/bot/server.js';
import type { StoredEvent } from '../../src/bot/store/store.js';
import { ChatClient, testConfig, testServer } from '../helpers/chat-server.js';
import { cleanTempDirs } from '../helpers/temp-kb.js';

const DEMO_KB = resolve('knowledge-base');
/** Friday 10:00 in Shanghai: within the demo KB's service hours. */
const OPEN = new Date('2026-11-27T02:00:00Z');
/** The demo escalation matrix's followUp. */
const FOLLOW_UP_MS = 72 * 3600_000;

describe('the follow-up (回访) of a resolved complaint happens', function () {
  this.timeout(30_000);
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];
  let clock = OPEN;
  const config = testConfig(DEMO_KB);

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    clock = OPEN;
  });
  after(() => cleanTempDirs());

  async function start(): Promise<RunningServer> {
    const server = await testServer(config, { now: () => clock, schedulerTickMs: 0 });
    servers.push(server);
    return server;
  }

  async function open(server: RunningServer, hello: Record<string, unknown>): Promise<{ client: ChatClient; session: string; token: string }> {
    const { client, welcome } = await ChatClient.open(server.url, hello);
    clients.push(client);
    return { client, session: welcome.session.split('.')[0] as string, token: welcome.session };
  }

  /** A customer files a complaint through the intake; an agent takes it and resolves it. Returns the ticket. */
  async function complainAndResolve(server: RunningServer, client: ChatClient, session: string): Promise<string> {
    await client.reply(); // greeting
    for (const text of ['我要投诉，快递员态度太差了', '跳过', '快递员骂人', '希望道歉', '对', '不想留']) {
      await client.say(text);
      await client.repliesUntilQuiet();
    }
    const handoff = (await server.store.read(session)).find((e) => e.kind === 'handoff');
    assert.ok(handoff?.kind === 'handoff' && handoff.reason === 'complaint', 'the complaint was filed');
    await server.desk.claim(session, '小林');
    await server.desk.resolve(session, '小林');
    await client.repliesUntilQuiet(); // the survey
    return handoff.ticket;
  }

  const followUps = (events: readonly StoredEvent[]): Extract<StoredEvent, { kind: 'followup' }>[] => events.filter((e): e is Extract<StoredEvent, { kind: 'followup' }> => e.kind === 'followup');

  it('asks a customer who left when they come back after the follow-up time, and reopens the ticket when it is not solved', async () => {
    const server = await start();
    const first = await open(server, { lang: 'zh' });
    const ticket = await complainAndResolve(server, first.client, first.session);
    first.client.close();

    clock = new Date(OPEN.getTime() + FOLLOW_UP_MS - 60_000);
    assert.equal(await server.scheduler.tick(), 0, 'not due a minute early');
    clock = new Date(OPEN.getTime() + FOLLOW_UP_MS + 60_000);
    assert.equal(await server.scheduler.tick(), 1);

    const back = await open(server, { token: first.token });
    const question = await back.client.reply();
    assert.match(question.text, /回访/);
    assert.match(question.text, new RegExp(ticket));
    assert.deepEqual(question.quickReplies?.map((q) => q.payload), ['yes', 'no']);

    await back.client.say('否', 'no');
    const said = (await back.client.repliesUntilQuiet()).map((m) => m.text).join('\n');
    assert.match(said, /重新打开投诉单/);
    const events = await server.store.read(first.session);
    const reopened = events.filter((e) => e.kind === 'handoff');
    assert.equal(reopened.length, 2);
    assert.deepEqual(
      reopened.map((e) => e.kind === 'handoff' && [e.reason, e.ticket]),
      [
        ['complaint', ticket],
        ['complaint', ticket],
      ],
      'reopened under its own ticket',
    );
    assert.equal(server.desk.position(first.session), 1, 'back in the queue for a person');
    assert.deepEqual(
      followUps(events).map((e) => [e.op, e.op === 'answered' ? e.solved : null]),
      [
        ['due', null],
        ['asked', null],
        ['answered', false],
      ],
    );
  });

  it('asks a customer who still has the chat open at once, thanks them when it is solved, and never asks again', async () => {
    const server = await start();
    const { client, session, token } = await open(server, { lang: 'zh' });
    await complainAndResolve(server, client, session);

    clock = new Date(OPEN.getTime() + FOLLOW_UP_MS);
    assert.equal(await server.scheduler.tick(), 1);
    const question = await client.reply();
    assert.match(question.text, /问题是否已经解决/);
    await client.say('是', 'yes');
    assert.match((await client.reply()).text, /很高兴您的问题已经解决/);
    client.close();

    const back = await open(server, { token });
    assert.deepEqual(await back.client.repliesUntilQuiet(), [], 'nothing more is asked');
    assert.deepEqual(
      followUps(await server.store.read(session)).map((e) => e.op),
      ['due', 'asked', 'answered'],
    );
  });

  it('keeps the promise across a restart: stored at resolution, asked after the server came back', async () => {
    const server = await start();
    const first = await open(server, { lang: 'zh' });
    await complainAndResolve(server, first.client, first.session);
    first.client.close();
    await server.close();
    servers.splice(0);

    clock = new Date(OPEN.getTime() + FOLLOW_UP_MS);
    const again = await start();
    assert.equal(again.scheduler.pending().length, 1, 'the task was read back from the store');
    assert.equal(await again.scheduler.tick(), 1);
    const back = await open(again, { token: first.token });
    assert.match((await back.client.reply()).text, /回访/);
  });

  it('promises no follow-up for a handoff that was not a complaint', async () => {
    const server = await start();
    const { client, session } = await open(server, { lang: 'zh' });
    await client.reply();
    await client.say('转人工');
    await client.repliesUntilQuiet();
    await server.desk.claim(session, '小林');
    await server.desk.resolve(session, '小林');
    assert.deepEqual(server.scheduler.pending(), []);
  });
});
