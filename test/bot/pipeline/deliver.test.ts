import assert from 'node:assert/strict';
import { Outlet, type Delivered } from '../../../src/bot/pipeline/deliver.js';
import { SessionBook } from '../../../src/bot/pipeline/sessions.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const NOW = new Date('2026-12-06T10:00:00.000Z');

describe('delivering to the customer', () => {
  let store: Store;
  let sent: { id: string; item: Delivered; origin: string | undefined }[];
  let outlet: Outlet;
  let sessions: SessionBook;

  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
    sessions = new SessionBook(store);
    sent = [];
    outlet = new Outlet(sessions, { send: (id, item, origin) => void sent.push({ id, item, origin }) }, () => NOW);
  });
  afterEach(async () => {
    await store.close();
    cleanTempDirs();
  });

  it('stores a reply before it is delivered, with the number the store gave it', async () => {
    await outlet.deliver('s1', { kind: 'message', from: 'bot', text: '您好', quickReplies: [{ title: '是', payload: 'yes' }] });
    await outlet.deliver('s1', { kind: 'message', from: 'agent', text: '我来帮您', agent: '小林' });
    assert.deepEqual(
      sent.map((s) => s.item),
      [
        { type: 'message', seq: 1, from: 'bot', text: '您好', at: NOW.toISOString(), quickReplies: [{ title: '是', payload: 'yes' }] },
        { type: 'message', seq: 2, from: 'agent', text: '我来帮您', at: NOW.toISOString(), agent: '小林' },
      ],
    );
    const stored = await store.read('s1');
    assert.deepEqual(
      stored.map((e) => (e.kind === 'message' ? [e.seq, e.text] : e.kind)),
      [
        [1, '您好'],
        [2, '我来帮您'],
      ],
    );
  });

  it('passes typing, status and language through without storing them', async () => {
    await outlet.deliver('s1', { kind: 'typing' });
    await outlet.deliver('s1', { kind: 'status', status: 'queued', position: 2 });
    await outlet.deliver('s1', { kind: 'lang', lang: 'en' });
    assert.deepEqual(
      sent.map((s) => s.item),
      [
        { type: 'typing', on: true },
        { type: 'status', status: 'queued', position: 2 },
        { type: 'lang', lang: 'en' },
      ],
    );
    assert.deepEqual(await store.read('s1'), []);
  });

  it("shows a customer's message on their other connections but not the one it came from, and a re-send nowhere", async () => {
    const session = await sessions.load('s1', 'zh');
    const first = await outlet.accept(session, { text: '我的订单到哪了', id: 'w1', payload: null, contact: null }, 'tab-1');
    const again = await outlet.accept(session, { text: '我的订单到哪了', id: 'w1', payload: null, contact: null }, 'tab-1');
    assert.deepEqual([first, again], [
      { seq: 1, fresh: true },
      { seq: 1, fresh: false },
    ]);
    assert.deepEqual(sent, [{ id: 's1', origin: 'tab-1', item: { type: 'message', seq: 1, from: 'customer', text: '我的订单到哪了', at: NOW.toISOString(), id: 'w1' } }]);
  });

  it('delivers nothing for a message the store could not keep', async () => {
    await store.close();
    await assert.rejects(outlet.deliver('s3', { kind: 'message', from: 'bot', text: 'lost?' }));
    assert.deepEqual(sent, []);
  });
});
