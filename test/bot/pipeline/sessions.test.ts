import assert from 'node:assert/strict';
import { SessionBook, type MessageEvent } from '../../../src/bot/pipeline/sessions.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { ioError, once, withFaults } from '../../helpers/faulty-store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const AT = '2026-11-27T02:00:00.000Z';
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
    assert.deepEqual([session.seq, session.clientIds.has('flaky'), session.pendingTurns.has('flaky')], [1, false, false]);

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
    assert.equal((await sessions.load(ID, 'zh')).seq, 2, 'a rebuild from the store agrees');
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
    assert.equal(rebuilt.seq, 3);
  });
});
