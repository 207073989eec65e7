import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { openHandoff } from '../../../src/bot/core/handoff.js';
import { DEFAULT_LIMITS } from '../../../src/bot/limits.js';
import { IDLE_EVICT_MS, MIN_IDLE_MS, SessionBook, type MessageEvent } from '../../../src/bot/pipeline/sessions.js';
import type { RunningServer } from '../../../src/bot/server.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { ChatClient, LOOSE_LIMITS, testConfig, testServer } from '../../helpers/chat-server.js';
import { ioError, once, withFaults } from '../../helpers/faulty-store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const AT = '2026-11-27T02:00:00.000Z';
const id = (n: number): string => `session-${String(n).padStart(14, '0')}`;

describe('sessions held in memory', () => {
  let store: Store;
  let clock: number;
  const now = (): number => clock;

  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
    clock = Date.parse(AT);
  });
  afterEach(async () => {
    await store.close();
  });
  after(() => cleanTempDirs());

  /** A stored conversation: two messages (one with the widget's id), then a handoff when `queued`. */
  async function stored(n: number, queued = false): Promise<void> {
    await store.append(id(n), { kind: 'message', at: AT, from: 'customer', text: `hello ${n}`, id: `w${n}` });
    await store.append(id(n), { kind: 'message', at: AT, from: 'bot', text: 'hi' });
    if (queued) await store.append(id(n), { kind: 'handoff', at: AT, reason: 'requested', team: 'general', channel: '#cs', ticket: `T1127-${n}`, details: {} });
  }

  it('keeps no more than the cap, dropping the longest-idle sessions without a socket first', async () => {
    const book = new SessionBook(store, { maxSessions: 10, now });
    const open = await book.load(id(0), 'zh');
    open.sockets = 1;
    for (let n = 1; n <= 40; n++) {
      await stored(n);
      await book.load(id(n), 'zh');
      clock += MIN_IDLE_MS;
    }
    assert.ok(book.size <= 10, `${book.size} sessions in memory`);
    assert.ok(book.get(id(0)), 'a session with an open socket is never dropped');
    assert.ok(book.get(id(40)), 'the newest is kept');
    assert.equal(book.get(id(1)), null, 'the longest idle went first');
  });

  it('never drops a session used in the last minute, even over the cap', async () => {
    const book = new SessionBook(store, { maxSessions: 5, now });
    for (let n = 1; n <= 20; n++) await book.load(id(n), 'zh');
    assert.equal(book.size, 20);
    clock += MIN_IDLE_MS;
    book.sweep(clock);
    assert.ok(book.size <= 5);
  });

  it('drops idle queued sessions too, and brings them back from the store intact', async () => {
    await stored(1, true);
    const book = new SessionBook(store, { now });
    const before = await book.load(id(1), 'zh');
    assert.equal(before.handoff.kind, 'queued');
    book.sweep(clock + IDLE_EVICT_MS + 1);
    assert.equal(book.get(id(1)), null, 'a customer who left the queue behind holds no memory');
    const after = await book.load(id(1), 'zh');
    assert.notEqual(after, before);
    assert.deepEqual([after.handoff.kind, openHandoff(after.handoff)?.ticket, after.clientIds.get('w1')], ['queued', 'T1127-1', 1]);
  });

  it('keeps a session with an open socket however long it is idle', async () => {
    const book = new SessionBook(store, { now });
    const s = await book.load(id(1), 'zh');
    s.sockets = 1;
    book.sweep(clock + 10 * IDLE_EVICT_MS);
    assert.equal(book.get(id(1)), s);
  });
});

describe('a queued customer dropped from memory, over the chat socket', function () {
  this.timeout(20_000);
  let server: RunningServer;
  const clients: ChatClient[] = [];
  /** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
  const OPEN = new Date('2026-11-27T02:00:00Z');

  before(async () => {
    server = await testServer(testConfig(resolve('knowledge-base')), { now: () => OPEN, limits: { ...LOOSE_LIMITS, maxSessions: 5 } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  it('holds one session in memory and one conversation on disk for each new chat, dialog state included', async () => {
    const before = new Set(await server.store.conversations());
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'en' });
    clients.push(client);
    await client.reply();
    await client.say('I want to complain about my order');
    await client.reply(); // the complaint intake starts: a dialog with stored state
    const added = (await server.store.conversations()).filter((c) => !before.has(c));
    assert.deepEqual(added, [welcome.session.split('.')[0]]);
  });

  it('keeps its place in the queue, its history and its agent after the cap drops it', async () => {
    assert.equal(DEFAULT_LIMITS.maxSessions > 5, true);
    const { client, welcome } = await ChatClient.open(server.url, { lang: 'en' });
    clients.push(client);
    await client.reply();
    await client.say('I want to talk to a person', 'human');
    await client.next((f) => f.type === 'status' && f.status === 'queued');
    const session = welcome.session.split('.')[0] as string;
    client.close();
    await client.waitClose();
    for (let i = 0; i < 12; i++) {
      const other = await ChatClient.open(server.url, { lang: 'en' });
      await other.client.reply();
      other.client.close();
    }
    await server.desk.tick(OPEN.getTime() + 60 * 60_000);
    server.sessions.sweep(Date.now() + MIN_IDLE_MS);
    assert.ok(server.sessions.size <= 5, `${server.sessions.size} sessions in memory`);
    assert.equal(server.sessions.get(session), null, 'the queued customer, gone for a while, was dropped');
    assert.equal(server.desk.position(session), 1, 'the desk still has them first in line');

    const back = await ChatClient.open(server.url, { token: welcome.session, after: 0 });
    clients.push(back.client);
    assert.equal(back.welcome.status, 'queued');
    assert.ok(back.welcome.history.length >= 3, 'the history is all there');
    assert.ok(!back.welcome.history.some((m) => /sorry for the wait/i.test(m.text)), 'no reminder was stored while they were away');
    await server.desk.claim(session, 'Lin');
    assert.match((await back.client.reply()).text, /Lin/);
  });
});

const ID = 'session-under-test-xxx';
const customer = (id: string, text = '下单后多久发货？'): MessageEvent => ({ kind: 'message', at: AT, from: 'customer', text, id });
const bot = (text: string): MessageEvent => ({ kind: 'message', at: AT, from: 'bot', text });

describe('the session book', () => {
  const stores: Store[] = [];
  async function realStore(): Promise<Store> {
    const store = await openLowdbStore(tempDir());
    stores.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  after(() => cleanTempDirs());

  it('numbers messages in the order the store holds them, even when a reply and a customer message are stored at once', async () => {
    const store = await realStore();
    const sessions = new SessionBook(store);
    const session = await sessions.load(ID, 'zh');

    const numbered = await Promise.all([sessions.storeMessage(session, customer('a')), sessions.storeMessage(session, bot('reply')), sessions.storeMessage(session, customer('b'))]);

    assert.deepEqual(
      numbered.map((m) => m.seq),
      [1, 2, 3],
    );
    const stored = (await store.read(ID)).flatMap((e) => (e.kind === 'message' ? [e.id ?? e.text] : []));
    assert.deepEqual(stored, ['a', 'reply', 'b']);
  });

  it('stores a widget id once: a re-send gets the number it was stored under', async () => {
    const store = await realStore();
    const sessions = new SessionBook(store);
    const session = await sessions.load(ID, 'zh');

    const first = await sessions.storeMessage(session, customer('a'));
    const [again, concurrent] = await Promise.all([sessions.storeMessage(session, customer('a')), sessions.storeMessage(session, customer('a'))]);

    assert.deepEqual([first, again, concurrent], [{ seq: 1, fresh: true }, { seq: 1, fresh: false }, { seq: 1, fresh: false }]);
    assert.equal((await store.read(ID)).length, 1);
  });

  it('changes nothing in memory when an append fails, so the re-send is stored for real', async () => {
    const store = withFaults(await realStore(), { append: once((_id, e) => e.kind === 'message' && e.id === 'flaky', () => ioError('EIO', 'i/o error, write')) });
    const sessions = new SessionBook(store);
    const session = await sessions.load(ID, 'zh');
    await sessions.storeMessage(session, customer('before'));

    await assert.rejects(sessions.storeMessage(session, customer('flaky')), /EIO/);
    assert.deepEqual([session.clientIds.has('flaky'), session.pendingTurns.has('flaky')], [false, false]);

    assert.deepEqual(await sessions.storeMessage(session, customer('flaky')), { seq: 2, fresh: true });
    assert.equal((await store.read(ID)).filter((e) => e.kind === 'message' && e.id === 'flaky').length, 1);
  });

  it('numbers the messages around a failed one as the store holds them', async () => {
    const store = withFaults(await realStore(), { append: once((_id, e) => e.kind === 'message' && e.id === 'flaky', () => ioError('EIO', 'i/o error, write')) });
    const sessions = new SessionBook(store);
    const session = await sessions.load(ID, 'zh');

    const results = await Promise.allSettled([sessions.storeMessage(session, customer('a')), sessions.storeMessage(session, customer('flaky')), sessions.storeMessage(session, bot('reply'))]);

    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.seq : 'failed')),
      [1, 'failed', 2],
    );
    sessions.drop(ID);
    assert.deepEqual(
      (await sessions.history(ID, 0, 10)).map((m) => [m.seq, m.from]),
      [
        [1, 'customer'],
        [2, 'bot'],
      ],
      'the history read from the store agrees',
    );
  });

  it("keeps a customer message's turn pending until it is recorded finished, also across a rebuild from the store", async () => {
    const store = await realStore();
    const sessions = new SessionBook(store);
    const session = await sessions.load(ID, 'zh');
    await sessions.storeMessage(session, customer('a'));
    await sessions.storeMessage(session, customer('b'));
    await sessions.storeMessage(session, bot('reply'));
    assert.deepEqual([...session.pendingTurns], ['a', 'b'], 'a reply alone does not finish a turn');

    await sessions.finishTurn(session, 'a', AT);
    sessions.drop(ID);
    const rebuilt = await sessions.load(ID, 'zh');

    assert.deepEqual([...rebuilt.pendingTurns], ['b']);
    assert.deepEqual([...rebuilt.clientIds], [
      ['a', 1],
      ['b', 2],
    ]);
  });

  describe('handoff moves', () => {
    const handoff = { kind: 'handoff', at: AT, reason: 'requested', team: 'general', channel: '#cs', ticket: 'T1127-MOVE1', details: {} } as const;
    const agentMove = (event: 'joined' | 'away' | 'back' | 'resolved', agent: string) => ({ kind: 'agent', at: AT, event, agent }) as const;

    it('stores a move the state machine accepts and moves the session, and stores nothing for one it refuses', async () => {
      const store = await realStore();
      const sessions = new SessionBook(store);
      const session = await sessions.load(ID, 'zh');

      assert.deepEqual(await sessions.moveHandoff(session, agentMove('joined', 'Alice')), { ok: false, why: 'not_open' });
      await sessions.moveHandoff(session, handoff);
      assert.equal(session.handoff.kind, 'queued');
      assert.ok((await sessions.moveHandoff(session, agentMove('joined', 'Alice'))).ok);
      assert.deepEqual(await sessions.moveHandoff(session, agentMove('joined', 'Bob')), { ok: false, why: 'already_claimed' });
      assert.deepEqual(await sessions.moveHandoff(session, agentMove('back', 'Alice')), { ok: false, why: 'not_away' });

      assert.deepEqual(session.handoff, { kind: 'agent', handoff: { reason: 'requested', team: 'general', channel: '#cs', ticket: 'T1127-MOVE1', at: AT }, agent: 'Alice', away: false });
      assert.deepEqual(
        (await store.read(ID)).map((e) => (e.kind === 'agent' ? `${e.event}:${e.agent}` : e.kind)),
        ['handoff', 'joined:Alice'],
      );
      sessions.drop(ID);
      assert.deepEqual((await sessions.load(ID, 'zh')).handoff, session.handoff, 'rebuilt from the store as it was in memory');
    });

    it('changes nothing in memory when the append fails', async () => {
      const store = withFaults(await realStore(), { append: once((_id, e) => e.kind === 'agent', () => ioError('EIO', 'i/o error, write')) });
      const sessions = new SessionBook(store);
      const session = await sessions.load(ID, 'zh');
      await sessions.moveHandoff(session, handoff);

      await assert.rejects(sessions.moveHandoff(session, agentMove('joined', 'Alice')), /EIO/);
      assert.equal(session.handoff.kind, 'queued');
      assert.ok((await sessions.moveHandoff(session, agentMove('joined', 'Alice'))).ok, 'the retry is accepted and stored');
    });

    it('brings a session up to date with what another instance stored, keeping what only this one knows', async () => {
      const store = await realStore();
      const here = new SessionBook(store);
      const there = new SessionBook(store);
      const mine = await here.load(ID, 'zh');
      mine.sockets = 1;
      mine.address = '203.0.113.9';
      const theirs = await there.load(ID, 'zh');
      await there.moveHandoff(theirs, handoff);
      await there.storeMessage(theirs, customer('w9'));
      assert.equal(mine.handoff.kind, 'bot', 'memory alone does not know');

      await here.refresh(ID);

      assert.equal(here.get(ID), mine, 'the same object, so a socket holding it sees the change');
      assert.deepEqual([mine.handoff.kind, mine.clientIds.get('w9'), [...mine.pendingTurns], mine.sockets, mine.address], ['queued', 1, ['w9'], 1, '203.0.113.9']);
    });
  });
});
