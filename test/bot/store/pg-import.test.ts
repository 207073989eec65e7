import assert from 'node:assert/strict';
import type pg from 'pg';
import { countsOf, importConversation, storedCounts, withSeqs } from '../../../src/bot/store/pg-import.js';
import { migrate } from '../../../src/bot/store/pg-migrations.js';
import { createPool } from '../../../src/bot/store/pg-pool.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { Store, StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';

const at = '2026-11-27T10:00:00.000Z';
const msg = (text: string, seq?: number, id?: string): StoredEvent => ({ kind: 'message', at, from: 'customer', text, ...(id ? { id } : {}), ...(seq !== undefined ? { seq } : {}) });
const turn = (id: string): StoredEvent => ({ kind: 'turn', at, id });
const seqs = (events: readonly StoredEvent[]): (number | undefined)[] => events.map((e) => (e.kind === 'message' ? e.seq : undefined));

async function database(): Promise<{ url: string; pool: pg.Pool; store: () => Promise<Store> }> {
  const url = await createTestDatabase();
  const pool = createPool(url, { maxConnections: 2 });
  pool.on('error', () => undefined);
  track({ close: () => pool.end() });
  await migrate(pool);
  return { url, pool, store: async () => track(await openPgStore(url)) };
}

describe('importing a conversation into PostgreSQL', () => {
  after(cleanTestDatabases);

  it('numbers old messages by their place and keeps the numbers and gaps the embedded store gave', () => {
    const events = [msg('old 1'), turn('a'), msg('old 2'), msg('new', 3), msg('after a failed append', 5)];
    assert.deepEqual(seqs(withSeqs(events)), [1, undefined, 2, 3, 5]);
    assert.deepEqual(countsOf(events), { events: 5, messages: 4, lastSeq: 5 });
  });

  it('writes every event in order with its number, so the store reads it back and appends after the last', async () => {
    const db = await database();
    const events = [msg('hello', undefined, 'w1'), turn('w1'), msg('one', 2), msg('after the gap', 4, 'w2')];
    assert.deepEqual(await importConversation(db.pool, 'c1', events), { kind: 'imported' });
    const store = await db.store();
    assert.deepEqual(await store.read('c1'), withSeqs(events));
    assert.deepEqual(await store.unfinished(), [{ id: 'c1', handoffAt: null, pendingTurns: ['w2'] }], 'the turn of w2 never finished');
    assert.equal(await store.append('c1', msg('next')), 5);
    assert.equal(await store.append('c1', msg('and after'), { expectedSeq: 5 }), 6);
  });

  it('keeps the order of a log longer than one statement takes', async () => {
    const db = await database();
    const events = Array.from({ length: 2500 }, (_, i) => (i % 3 === 0 ? turn(`t${i}`) : msg(`m${i}`)));
    assert.equal((await importConversation(db.pool, 'slack-outbox', events)).kind, 'imported');
    assert.deepEqual(await (await db.store()).read('slack-outbox'), withSeqs(events));
  });

  it('finds a conversation it imported before and writes nothing again', async () => {
    const db = await database();
    const events = [msg('a'), msg('b'), turn('x')];
    await importConversation(db.pool, 'c1', events);
    assert.deepEqual(await importConversation(db.pool, 'c1', events), { kind: 'present' });
    assert.deepEqual((await storedCounts(db.pool, ['c1'])).get('c1'), countsOf(events));
  });

  it('imports an empty conversation once, then finds it there', async () => {
    const db = await database();
    assert.deepEqual(await importConversation(db.pool, 'empty', []), { kind: 'imported' });
    assert.deepEqual(await importConversation(db.pool, 'empty', []), { kind: 'present' });
    assert.deepEqual(await (await db.store()).conversations(), ['empty']);
  });

  it('refuses a conversation the database holds with other counts, naming it, and leaves it as it was', async () => {
    const db = await database();
    const store = await db.store();
    await store.append('c1', msg('written by a server'));
    const outcome = await importConversation(db.pool, 'c1', [msg('a'), msg('b')]);
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.kind === 'refused' ? outcome.why : '', /conversation c1 is already in the database with 1 events, 1 messages, last message 1; the data directory has 2 events, 2 messages, last message 2/);
    assert.deepEqual(seqs(await store.read('c1')), [1]);
  });

  it('keeps nothing of a conversation the database refuses part of', async () => {
    const db = await database();
    await assert.rejects(importConversation(db.pool, 'c1', [msg('a', 1), msg('same number', 1)]), /duplicate key/);
    assert.deepEqual(await storedCounts(db.pool, ['c1']), new Map(), 'not even its row');
    assert.deepEqual(await importConversation(db.pool, 'c1', [msg('a', 1), msg('b', 2)]), { kind: 'imported' });
  });
});
