import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { storedCounts, withSeqs } from '../../../src/bot/store/pg-import.js';
import { migrate } from '../../../src/bot/store/pg-migrations.js';
import { createPool } from '../../../src/bot/store/pg-pool.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import { DatabaseLost, importStore, verified } from '../../../src/bot/store/store-import.js';
import { numberedMessages, type OpenConversation, type Store, type StoredEvent } from '../../../src/bot/store/store.js';
import { HISTORY, writeHistory, writeManyConversations } from '../../helpers/lowdb-history.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { clearFaults } from '../../helpers/store-faults.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const byId = (open: readonly OpenConversation[]): OpenConversation[] => [...open].sort((a, b) => a.id.localeCompare(b.id));
const numbers = (events: readonly StoredEvent[]): number[] => Array.from(numberedMessages(events), (m) => m.seq);

function migratedPool(url: string): Promise<pg.Pool> {
  const pool = createPool(url, { maxConnections: 2 });
  pool.on('error', () => undefined);
  track({ close: () => pool.end() });
  return migrate(pool).then(() => pool);
}

/** Every conversation of `from`, read. */
async function everything(from: Store): Promise<Map<string, readonly StoredEvent[]>> {
  const out = new Map<string, readonly StoredEvent[]>();
  for (const id of await from.conversations()) out.set(id, await from.read(id));
  return out;
}

describe('importing an embedded store into PostgreSQL', () => {
  after(cleanTestDatabases);
  after(cleanTempDirs);
  afterEach(clearFaults);

  it('carries every conversation over as the embedded store reads it, numbers and unfinished ones included', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    const url = await createTestDatabase();
    const lowdb = track(await openLowdbStore(dir));
    const before = await everything(lowdb);
    assert.deepEqual(numbers(before.get(HISTORY.old) ?? []), [1, 2, 3, 4, 5], 'the old messages are numbered by their place');
    assert.deepEqual(numbers(before.get(HISTORY.gap) ?? []), [1, 2, 4], 'the failed append left a gap');

    const report = await importStore(lowdb, await migratedPool(url));

    assert.ok(verified(report), JSON.stringify(report));
    const events = [...before.values()].reduce((n, e) => n + e.length, 0);
    const messages = [...before.values()].reduce((n, e) => n + numbers(e).length, 0);
    assert.deepEqual(report, { conversations: ids.length, imported: ids.length, present: 0, events, messages, refused: [], mismatches: [] });
    const db = track(await openPgStore(url));
    assert.deepEqual([...(await db.conversations())].sort(), [...ids].sort());
    for (const [id, events] of before) assert.deepEqual(await db.read(id), withSeqs(events), `conversation ${id}`);
    const oldSeqs = (await db.read(HISTORY.old)).flatMap((e) => (e.kind === 'message' ? [e.seq] : []));
    assert.deepEqual(oldSeqs, [1, 2, 3, 4, 5], 'the old messages carry their numbers in the database');
    assert.deepEqual(byId(await db.unfinished()), byId(await lowdb.unfinished()));
    assert.deepEqual(byId(await db.unfinished()), [{ id: HISTORY.waiting, handoffAt: '2026-11-27T10:01:00.000Z', pendingTurns: ['q2'] }]);
    assert.equal(await db.append(HISTORY.gap, { kind: 'message', at: '2026-11-28T00:00:00.000Z', from: 'customer', text: 'next day', id: 'g9' }), 5);
    assert.equal(await db.append(HISTORY.old, { kind: 'message', at: '2026-11-28T00:00:00.000Z', from: 'bot', text: 'hi again' }), 6);
    await Promise.all([db.close(), lowdb.close()]);
  });

  it('imports nothing the second time', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    const pool = await migratedPool(await createTestDatabase());
    const lowdb = track(await openLowdbStore(dir));
    await importStore(lowdb, pool);
    const again = await importStore(lowdb, pool);
    assert.deepEqual(again, { conversations: ids.length, imported: 0, present: ids.length, events: 0, messages: 0, refused: [], mismatches: [] });
    const rows = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tact_events');
    assert.equal(rows.rows[0]?.n, [...(await everything(lowdb)).values()].reduce((n, e) => n + e.length, 0), 'no event doubled');
    await lowdb.close();
  });

  it('stops when the database goes away, keeping whole conversations, and a second run finishes the rest', async () => {
    const dir = tempDir();
    await writeManyConversations(dir, 40);
    const url = await createTestDatabase();
    const direct = new URL(url);
    const proxy = track(await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) }));
    const viaProxy = new URL(url);
    viaProxy.port = String(proxy.port);
    const lowdb = track(await openLowdbStore(dir));
    const cutAt = 15;
    const first = importStore(lowdb, await migratedPool(viaProxy.toString()), { onProgress: (done) => void (done === cutAt && proxy.cut()) });
    await assert.rejects(first, (e: unknown) => e instanceof DatabaseLost && e.conversation !== null);
    const pool = await migratedPool(url);
    const kept = await pool.query<{ id: string; events: number }>('SELECT conversation AS id, count(*)::int AS events FROM tact_events GROUP BY conversation');
    assert.ok(kept.rows.length >= cutAt && kept.rows.length < 40, `${kept.rows.length} conversations imported before the cut`);
    assert.ok(kept.rows.every((r) => r.events === 3), 'each one whole');

    const second = await importStore(lowdb, pool);
    assert.ok(verified(second), JSON.stringify(second));
    assert.equal(second.present, kept.rows.length);
    assert.equal(second.imported, 40 - kept.rows.length);
    await lowdb.close();
  });

  it('refuses a conversation the database already holds differently, names it, and verifies the rest', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    const url = await createTestDatabase();
    const pool = await migratedPool(url);
    const db = track(await openPgStore(url));
    await db.append(HISTORY.answered, { kind: 'message', at: '2026-11-28T00:00:00.000Z', from: 'customer', text: 'written on the database first', id: 'n1' });
    const lowdb = track(await openLowdbStore(dir));

    const report = await importStore(lowdb, pool);

    assert.equal(verified(report), false);
    assert.equal(report.imported, ids.length - 1);
    assert.equal(report.refused.length, 1);
    assert.match(report.refused[0] ?? '', new RegExp(`conversation ${HISTORY.answered} is already in the database with 1 events`));
    assert.deepEqual(report.mismatches, []);
    assert.equal((await db.read(HISTORY.answered)).length, 1, 'left as it was');
    await Promise.all([db.close(), lowdb.close()]);
  });

  it('does not import a conversation whose file turns out damaged as it is read, and names it', async () => {
    const dir = tempDir();
    const ids = await writeHistory(dir);
    writeFileSync(join(dir, 'conversations', 'web-broken.json'), '{"id": "web-broken", "events": [');
    const pool = await migratedPool(await createTestDatabase());
    const lowdb = track(await openLowdbStore(dir));

    const report = await importStore(lowdb, pool);

    assert.equal(verified(report), false);
    assert.equal(report.imported, ids.length);
    assert.equal(report.refused.length, 1);
    assert.match(report.refused[0] ?? '', /conversation web-broken was not imported: reading it found damage in the data directory \(conversation web-broken: its file could not be read/);
    assert.deepEqual(await storedCounts(pool, ['web-broken']), new Map(), 'nothing of it in the database');
    await lowdb.close();
  });
});
