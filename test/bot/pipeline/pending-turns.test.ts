import assert from 'node:assert/strict';
import { TurnContext, type Activity } from 'botbuilder';
import { TurnAdapter } from '../../../src/bot/pipeline/engine.js';
import { createLogger } from '../../../src/bot/log.js';
import { MAX_RERUNS, resumePendingTurns, resumption, runPendingTurnsOnce } from '../../../src/bot/pipeline/pending-turns.js';
import { SessionBook } from '../../../src/bot/pipeline/sessions.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store, StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const AT = '2026-11-27T02:00:00.000Z';
const ID = 'session-under-test-xxx';
const asked = (id: string, text = '下单后多久发货？', payload?: string): StoredEvent => ({ kind: 'message', at: AT, from: 'customer', text, id, ...(payload ? { payload } : {}) });
const said = (from: 'bot' | 'agent', turn?: string): StoredEvent => ({ kind: 'message', at: AT, from, text: '…', ...(turn ? { turn } : {}) });

describe('pending turns', () => {
  describe('what a pending turn needs at startup', () => {
    it('runs again a message nothing answered, with the button it carried', () => {
      assert.deepEqual(resumption([asked('a', '转人工', 'human')], 'a'), { kind: 'rerun', input: { kind: 'message', text: '转人工', payload: 'human', clientId: 'a' } });
    });

    it('only records finished a message its turn replied to, or an agent answered after, so it is not answered twice', () => {
      assert.deepEqual(resumption([asked('a'), said('bot', 'a')], 'a'), { kind: 'finished' });
      assert.deepEqual(resumption([asked('a'), said('agent')], 'a'), { kind: 'finished' });
    });

    it('only records finished a dialog step whose state its turn stored: running it again would answer the next question with it', () => {
      assert.deepEqual(resumption([asked('a'), { kind: 'dialog', at: AT, key: 'k', state: {}, turn: 'a' }], 'a'), { kind: 'finished' });
    });

    it("runs again a message after which only the greeting or another turn's dialog state was stored (they waited in the queue together)", () => {
      const events: StoredEvent[] = [asked('a'), said('bot'), { kind: 'dialog', at: AT, key: 'k', state: { dialogStack: [] } }, said('bot', 'other')];
      assert.equal(resumption(events, 'a').kind, 'rerun');
    });

    it('runs again the later of two messages when only the first was answered', () => {
      const events = [asked('a'), said('bot', 'a'), asked('b', '退款多久到账？')];
      assert.equal(resumption(events, 'a').kind, 'finished');
      assert.deepEqual(resumption(events, 'b'), { kind: 'rerun', input: { kind: 'message', text: '退款多久到账？', payload: null, clientId: 'b' } });
    });

    it('gives up a turn that was run again at as many startups as allowed, so a message that crashes the server cannot crash it forever', () => {
      const rerun = (id: string): StoredEvent => ({ kind: 'rerun', at: AT, id });
      assert.equal(resumption([asked('a'), rerun('a')], 'a').kind, 'rerun');
      assert.equal(resumption([asked('a'), rerun('b'), rerun('b')], 'a').kind, 'rerun');
      assert.deepEqual(resumption([asked('a'), ...Array.from({ length: MAX_RERUNS }, () => rerun('a'))], 'a'), { kind: 'given_up', reruns: MAX_RERUNS });
    });
  });

  describe('startups after a turn that takes the server down', () => {
    after(() => cleanTempDirs());

    it('runs it again at the first startups, then records it finished and logs it for a person instead of crash-looping', async () => {
      const dir = tempDir();
      const seed = await openLowdbStore(dir);
      await seed.append(ID, asked('a'));
      await seed.close();
      const runs: string[] = [];
      const logged: string[] = [];
      // Each startup: a fresh store and session book on the same directory; the re-run never finishes, as when it crashed the process.
      for (let start = 0; start <= MAX_RERUNS; start++) {
        const store = await openLowdbStore(dir);
        const log = createLogger('error', (line) => void logged.push(line));
        const receive = async (_id: string, input: { readonly kind: string }): Promise<void> => void runs.push(input.kind);
        await resumePendingTurns(await store.unfinished(), { store, sessions: new SessionBook(store), receive, now: () => new Date(AT), log }, 1000);
        await store.close();
      }
      assert.equal(runs.length, MAX_RERUNS, 'run again at each allowed startup, then no more');
      assert.match(logged.join(''), /"event":"turn\.given_up".*"reruns":2/);
      const after = await openLowdbStore(dir);
      assert.deepEqual(await after.unfinished(), [], 'the given-up turn is no longer pending');
      await after.close();
    });
  });

  describe('the turn engine middleware', () => {
    let store: Store;
    let sessions: SessionBook;
    const middleware = (): ReturnType<typeof runPendingTurnsOnce> => runPendingTurnsOnce(sessions, () => new Date(AT), createLogger('error', () => undefined));
    const context = (activity: Partial<Activity>): TurnContext => new TurnContext(new TurnAdapter(async () => undefined), { conversation: { id: ID, isGroup: false, name: '', conversationType: 'personal' }, ...activity });

    beforeEach(async () => {
      store = await openLowdbStore(tempDir());
      sessions = new SessionBook(store);
    });
    afterEach(() => store.close());
    after(() => cleanTempDirs());

    it("runs a pending message's turn and records it finished after the turn is done", async () => {
      await sessions.storeMessage(await sessions.load(ID, 'zh'), { kind: 'message', at: AT, from: 'customer', text: 'hi', id: 'a' });
      const order: string[] = [];

      await middleware()(context({ type: 'message', id: 'a', text: 'hi' }), async () => {
        order.push(`turn ran, finished stored: ${(await store.read(ID)).some((e) => e.kind === 'turn')}`);
      });

      assert.deepEqual(order, ['turn ran, finished stored: false']);
      assert.deepEqual(
        (await store.read(ID)).map((e) => e.kind),
        ['message', 'turn'],
      );
      assert.equal((await sessions.load(ID, 'zh')).pendingTurns.size, 0);
    });

    it('does not run a finished turn again, and leaves a failed one pending', async () => {
      const session = await sessions.load(ID, 'zh');
      await sessions.storeMessage(session, { kind: 'message', at: AT, from: 'customer', text: 'hi', id: 'done' });
      await sessions.finishTurn(session, 'done', AT);
      await sessions.storeMessage(session, { kind: 'message', at: AT, from: 'customer', text: 'hi', id: 'fails' });
      let ran = 0;

      await middleware()(context({ type: 'message', id: 'done', text: 'hi' }), async () => void ran++);
      await assert.rejects(
        middleware()(context({ type: 'message', id: 'fails', text: 'hi' }), () => Promise.reject(new Error('the reply could not be stored'))),
        /could not be stored/,
      );

      assert.equal(ran, 0);
      assert.deepEqual([...session.pendingTurns], ['fails']);
    });

    it('passes events (welcome, agent actions) straight through', async () => {
      let ran = 0;
      await middleware()(context({ type: 'event', name: 'welcome' }), async () => void ran++);
      assert.equal(ran, 1);
      assert.deepEqual(await store.read(ID), []);
    });
  });
});
