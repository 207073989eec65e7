import assert from 'node:assert/strict';
import { Attachments } from '../../../../src/bot/pipeline/attachments.js';
import { FsFileStore } from '../../../../src/bot/store/fs-file-store.js';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { SlackAgents } from '../../../../src/bot/channels/slack/app.js';
import { slackCluster } from '../../../../src/bot/channels/slack/cluster.js';
import { Leader } from '../../../../src/bot/cluster/leader.js';
import type { SlackConfig } from '../../../../src/bot/config.js';
import type { HandoffNotice } from '../../../../src/bot/pipeline/agents.js';
import { Desk } from '../../../../src/bot/pipeline/desk.js';
import { Presence } from '../../../../src/bot/pipeline/presence.js';
import { openPgStore } from '../../../../src/bot/store/pg-store.js';
import type { Store } from '../../../../src/bot/store/store.js';
import { withFaults } from '../../../helpers/faulty-store.js';
import { buttonPress, signedHeaders, SIGNING_SECRET, SLACK, threadMessage } from '../../../helpers/fake-slack.js';
import { cleanTestDatabases, createTestDatabase } from '../../../helpers/postgres.js';
import { capturedLog, testRedis, type TestRedis } from '../../../helpers/redis.js';
import { cleanTempDirs, tempDir } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const OPEN = new Date('2026-11-27T02:00:00Z');
/** Each instance calls Slack under its own path, so a test sees which one sent a call. */
const config = (instance: string): SlackConfig => ({ botToken: 'xoxb-test', mode: 'http', appToken: null, signingSecret: SIGNING_SECRET, apiUrl: `${SLACK}/${instance}/api/`, toneCoaching: 'warn' });
/** Short leases, so a handover happens within a test. */
const LEASE = { ttlMs: 600, renewEveryMs: 100 } as const;

interface Hit {
  /** The instance that called. */
  readonly from: string;
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
}

/** An agent action the desk raised, and on which instance. */
interface Raised {
  readonly instance: string;
  readonly sessionId: string;
  readonly name: string;
}

interface Instance {
  readonly name: string;
  readonly agents: SlackAgents;
  readonly leader: Leader;
  /** Where Slack posts to this instance. */
  readonly url: string;
  close(): Promise<void>;
}

function notice(sessionId: string): HandoffNotice {
  return {
    sessionId,
    ticket: `T-${sessionId.slice(0, 6)}`,
    reason: 'requested',
    escalation: { team: 'logistics', teamName: '物流服务组', channel: 'C0SUPPORT', supervisor: { name: '王敏', slack: 'U01LOGISTIC' }, sla: { firstResponse: '1m', resolution: '24h' }, urgent: false, causes: [], followUp: '72h' },
    lang: 'zh',
    customer: null,
    summary: `退货 ${sessionId}`,
    order: null,
    answered: [],
    category: null,
    emotion: { score: 0, level: 'calm', cues: [] },
    suggestions: [],
    suggestedReply: '您好',
    at: OPEN,
    dueBy: new Date(OPEN.getTime() + 60_000),
    details: {},
    via: 'queue',
  };
}

const newSession = (): string => randomBytes(16).toString('base64url');

/** The store, with each write to a session's Slack log held back a while: two instances then both read a card before either changes it. */
function slowCardWrites(store: Store, ms: number): Store {
  return withFaults(store, {
    beforeAppend: async (id) => {
      if (id.startsWith('slack-card-')) await new Promise((r) => setTimeout(r, ms));
    },
  });
}

describe('the Slack app on several instances (one PostgreSQL, one Redis, Slack on nock)', function () {
  this.timeout(30_000);
  const slack = { up: true, hits: [] as Hit[] };
  const raised: Raised[] = [];
  const running: Instance[] = [];
  let redis: TestRedis;
  let databaseUrl: string;
  let ts = 1700000000;

  const posted = (): Hit[] => slack.hits.filter((h) => h.method === 'chat.postMessage' && h.status === 200);
  const postsOf = (text: string): Hit[] => posted().filter((h) => String(h.body['text']).includes(text));
  const handoffPost = (sessionId: string): Hit | undefined => posted().find((h) => JSON.stringify(h.body['blocks'] ?? '').includes(sessionId));
  const joined = (sessionId: string): Raised[] => raised.filter((r) => r.sessionId === sessionId && r.name === 'agent_joined');
  const leaders = (): Instance[] => running.filter((i) => i.leader.isLeader());
  const settle = (ms = 400): Promise<void> => new Promise((r) => setTimeout(r, ms));

  async function toSlackEndpoint(at: Instance, body: string, contentType: string): Promise<number> {
    return (await fetch(`${at.url}/slack/events`, { method: 'POST', body, headers: signedHeaders(body, contentType) })).status;
  }
  const press = (at: Instance, actionId: string, user: string, sessionId: string): Promise<number> => toSlackEndpoint(at, buttonPress(actionId, user, sessionId), 'application/x-www-form-urlencoded');

  async function instance(name: string, opts: { readonly cardWriteMs?: number; readonly pollMs?: number } = {}): Promise<Instance> {
    const log = capturedLog().log;
    const opened = await openPgStore(databaseUrl);
    const store = opts.cardWriteMs ? slowCardWrites(opened, opts.cardWriteMs) : opened;
    const cluster = await redis.join({ log });
    const leader = await Leader.start(cluster, log, LEASE);
    const desk = new Desk(async (sessionId, event) => void raised.push({ instance: name, sessionId, name: event.name }), Presence.inMemory(), () => OPEN);
    const agents = await SlackAgents.start(config(name), {
      desk,
      store,
      log,
      now: () => OPEN,
      categoryName: () => null,
      paceMs: 20,
      ask: () => {
        throw new Error('no /tact commands in these tests');
      },
      liveSuggestion: () => null,
      findFaqs: () => [],
      kbDir: tempDir(),
      categories: () => [],
      timezone: 'Asia/Shanghai',
      checkTone: () => [],
      attachments: new Attachments(new FsFileStore(tempDir()), () => OPEN),
      cluster: { ...slackCluster(cluster, leader, log), outboxPollMs: opts.pollMs ?? 50 },
    });
    const server: Server = createServer((req, res) => agents.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    let closing: Promise<void> | null = null;
    const me: Instance = {
      name,
      agents,
      leader,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        (closing ??= (async () => {
          await new Promise((done) => server.close(done));
          server.closeAllConnections();
          await agents.stop();
          await leader.close();
          await store.close();
        })()),
    };
    running.push(me);
    return me;
  }

  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock(SLACK)
      .persist()
      .post(/^\/\w+\/api\/.+/)
      .reply((uri, body) => {
        const [, from = '', , method = ''] = uri.split('/');
        const fields = (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body) as Record<string, unknown>;
        if (typeof fields['blocks'] === 'string') fields['blocks'] = JSON.parse(fields['blocks']);
        const status = slack.up || method === 'users.info' ? 200 : 503;
        slack.hits.push({ from, method, body: fields, status });
        if (status === 503) return [503, 'Service Unavailable'];
        if (method === 'users.info') return [200, { ok: true, user: { id: fields['user'], name: 'agent', profile: { display_name: `name-${String(fields['user'])}` } } }];
        return [200, { ok: true, channel: 'C0SUPPORT', ts: `${++ts}.000100` }];
      });
  });
  beforeEach(async () => {
    redis = testRedis();
    databaseUrl = await createTestDatabase();
    slack.up = true;
    slack.hits.splice(0);
    raised.splice(0);
  });
  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((i) => i.close()));
    await redis.cleanup();
  });
  after(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await cleanTestDatabases();
    cleanTempDirs();
  });

  it('lets an agent claim through one instance a card another posted: the desk hears the claim once, and a later claim anywhere is refused', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const session = newSession();
    await a.agents.handedOff(notice(session));
    await until('the handoff post and its transcript', () => handoffPost(session) && posted().some((h) => h.body['thread_ts'] !== undefined));

    assert.equal(await press(b, 'tact_claim', 'U1', session), 200);
    await until('the claim at the desk', () => joined(session).length === 1);
    assert.equal(joined(session)[0]?.instance, 'b');
    await until('the card updated as claimed', () => slack.hits.some((h) => h.method === 'chat.update' && JSON.stringify(h.body['blocks']).includes('U1')));

    assert.equal(await press(a, 'tact_claim', 'U2', session), 200);
    assert.equal(await press(a, 'tact_claim', 'U1', session), 200);
    await settle();
    assert.equal(joined(session).length, 1, 'one claim reached a desk');
    assert.equal(postsOf('claimed this conversation').length, 1, 'one confirmation in the thread');
    assert.equal(slack.hits.filter((h) => h.method === 'chat.update').length, 1, 'the card updated once');
  });

  it('gives the conversation to one agent when two press Claim at once on two instances', async () => {
    const a = await instance('a', { cardWriteMs: 150 });
    const b = await instance('b', { cardWriteMs: 150 });
    const session = newSession();
    await b.agents.handedOff(notice(session));
    assert.deepEqual(await Promise.all([press(a, 'tact_claim', 'U1', session), press(b, 'tact_claim', 'U2', session)]), [200, 200]);
    await until('a claim at a desk', () => joined(session).length > 0);
    await settle();
    assert.equal(joined(session).length, 1);
    await until('the card updated', () => slack.hits.some((h) => h.method === 'chat.update'));
    await settle();
    assert.equal(slack.hits.filter((h) => h.method === 'chat.update').length, 1);
    assert.equal(postsOf('claimed this conversation').length, 1);
    const owner = joined(session)[0]?.instance === 'a' ? 'U1' : 'U2';
    assert.match(JSON.stringify(slack.hits.find((h) => h.method === 'chat.update')?.body['blocks']), new RegExp(owner), 'the card names the agent the desk heard');
  });

  it('relays an event Slack delivers to two instances (and retries) once, found by the thread it is in', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const session = newSession();
    await a.agents.handedOff(notice(session));
    const post = await until('the handoff post', () => handoffPost(session));
    await until('its ts known', () => posted().some((h) => h.body['thread_ts'] !== undefined));
    const threadTs = String(posted().find((h) => h.body['thread_ts'] !== undefined)?.body['thread_ts']);
    assert.ok(post);
    assert.equal(await press(b, 'tact_claim', 'U1', session), 200);
    await until('claimed', () => joined(session).length === 1);

    const body = threadMessage('EvTwice', 'C0SUPPORT', threadTs, 'U1', '您好，我来帮您处理');
    const statuses = await Promise.all([a, b, a, b].map((at) => toSlackEndpoint(at, body, 'application/json')));
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    await until('the reply at a desk', () => raised.some((r) => r.name === 'agent_message'));
    await settle();
    assert.equal(raised.filter((r) => r.name === 'agent_message').length, 1);
  });

  it('sends each call once, by the leader, including the calls the other instances stored, each thread under its post', async () => {
    const all = [await instance('a'), await instance('b'), await instance('c')];
    assert.equal(leaders().length, 1);
    const sessions = all.map(() => newSession());
    await Promise.all(
      all.map(async (at, i) => {
        const session = sessions[i] as string;
        await at.agents.handedOff(notice(session));
        await at.agents.customerSaid(session, `第一条 ${session}`);
        await at.agents.customerSaid(session, `第二条 ${session}`);
      }),
    );
    // Per session: the card, the transcript and two customer messages.
    await until('every call sent', () => posted().length >= 12, 10_000, () => `${posted().length} sent`);
    await settle(500);
    assert.equal(posted().length, 12, 'nothing sent twice');
    assert.deepEqual([...new Set(posted().map((h) => h.from))], [leaders()[0]?.name], 'all by the leader');
    for (const session of sessions) {
      const card = handoffPost(session);
      assert.ok(card, `the card of ${session}`);
      const replies = posted().filter((h) => String(h.body['text']).includes(session) && h !== card);
      assert.equal(replies.length, 2);
      const cardTs = slack.hits.indexOf(card);
      for (const reply of replies) assert.ok(reply.body['thread_ts'] !== undefined && slack.hits.indexOf(reply) > cardTs, 'threaded under the card, after it');
    }
  });

  it('threads a reply the leader stores under a card another instance stored just before, though the leader has not polled since', async () => {
    const all = [await instance('a', { pollMs: 10_000 }), await instance('b', { pollMs: 10_000 })];
    const leader = leaders()[0] as Instance;
    const other = all.find((i) => i !== leader) as Instance;
    const session = newSession();
    await other.agents.handedOff(notice(session));
    await leader.agents.customerSaid(session, `追问 ${session}`);
    await until('the card, the transcript and the reply', () => posted().length >= 3, 5000, () => `${posted().length} sent`);
    const card = handoffPost(session) as Hit;
    const reply = postsOf('追问')[0] as Hit;
    assert.ok(slack.hits.indexOf(card) < slack.hits.indexOf(reply), 'the card first');
    assert.ok(reply.body['thread_ts'] !== undefined, 'in its thread');
  });

  it('hands the sending over when the leader goes: the next leader sends what was left, once each', async () => {
    slack.up = false;
    const all = [await instance('a'), await instance('b'), await instance('c')];
    const sessions = all.map(() => newSession());
    for (const [i, at] of all.entries()) await at.agents.handedOff(notice(sessions[i] as string));
    const first = leaders()[0] as Instance;
    await until('the leader tried', () => slack.hits.some((h) => h.status === 503));

    await first.close();
    const next = await until('a new leader', () => leaders()[0], 5000);
    assert.notEqual(next, first);
    slack.up = true;
    // Per session: the card and the transcript.
    await until('the calls left sent', () => posted().length >= 6, 15_000, () => `${posted().length} sent`);
    await settle(500);
    assert.equal(posted().length, 6, 'nothing sent twice');
    assert.deepEqual([...new Set(posted().map((h) => h.from))], [next.name], 'all by the new leader');
    for (const session of sessions) assert.ok(handoffPost(session), `the card of ${session}`);
  });
});
