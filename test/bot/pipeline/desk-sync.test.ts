import assert from 'node:assert/strict';
import { createLogger } from '../../../src/bot/log.js';
import { Desk, type QueueEntry } from '../../../src/bot/pipeline/desk.js';
import { queuedInStore } from '../../../src/bot/pipeline/desk-sync.js';
import { Presence } from '../../../src/bot/pipeline/presence.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store, StoredEvent } from '../../../src/bot/store/store.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';

const quiet = createLogger('error', () => undefined);
/** Session ids as the chat socket issues them (22 characters). */
const sid = (n: number): string => `session-${String(n).padStart(14, '0')}`;
const handoff = (at: string, team = 'general'): StoredEvent => ({ kind: 'handoff', at, reason: 'requested', team, channel: '#cs', ticket: `T-${at}`, details: {} });
const entry = (n: number): QueueEntry => ({ sessionId: sid(n), team: 'general', times: { firstResponseSeconds: 60, resolutionSeconds: 3600 }, remindEveryMs: 60_000 });

describe('the queue as the store holds it', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
  });
  afterEach(async () => {
    await store.close();
    cleanTempDirs();
  });

  it('lists customers still waiting, oldest handoff first, and leaves out those with an agent or who left a message', async () => {
    const escalation = loadKnowledgeBase(shopKb()).escalation;
    await store.append(sid(1), handoff('2026-12-06T10:05:00.000Z'));
    await store.append(sid(2), handoff('2026-12-06T10:01:00.000Z'));
    await store.append(sid(3), handoff('2026-12-06T10:02:00.000Z'));
    await store.append(sid(3), { kind: 'agent', at: '2026-12-06T10:03:00.000Z', event: 'joined', agent: 'Ann' });
    await store.append(sid(4), { ...handoff('2026-12-06T10:00:00.000Z'), via: 'message' } as StoredEvent);

    const queued = await queuedInStore(store, escalation, quiet);

    assert.deepEqual(
      queued.map((q) => q.sessionId),
      [sid(2), sid(1)],
    );
    assert.ok(queued.every((q) => q.remindEveryMs >= 10_000 && q.times.firstResponseSeconds > 0));
  });
});

describe('a desk made to match the store', () => {
  it('takes customers queued elsewhere, drops those claimed elsewhere, and keeps one it queued after the store was read', () => {
    const desk = new Desk(() => Promise.resolve(), Presence.inMemory(), () => new Date(0));
    desk.enqueue(sid(1), 'general', entry(1).times, 60_000, 1000);
    desk.enqueue(sid(2), 'general', entry(2).times, 60_000, 1000);
    desk.enqueue(sid(9), 'general', entry(9).times, 60_000, 5000);

    desk.sync([entry(3), entry(2)], 4000, 6000);

    assert.deepEqual(
      desk.waiting().map((w) => w.sessionId),
      [sid(3), sid(2), sid(9)],
      '1 was claimed elsewhere; 3 queued elsewhere before 2; 9 queued here after the read',
    );
    assert.equal(desk.position(sid(2)), 2);
  });
});
