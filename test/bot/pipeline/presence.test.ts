import assert from 'node:assert/strict';
import { Presence, ACTIVE_MS } from '../../../src/bot/pipeline/presence.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const T0 = new Date('2026-11-27T02:00:00Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);

describe('who is on duty', () => {
  after(() => cleanTempDirs());

  it('counts an agent who acted lately, until the activity fades', () => {
    const p = Presence.inMemory();
    p.active('slack:U1', T0);
    assert.deepEqual(p.onDuty(later(ACTIVE_MS - 1)), ['slack:U1']);
    assert.deepEqual(p.onDuty(later(ACTIVE_MS + 1)), []);
  });

  it('lets "off duty" win over recent activity, and "on duty" last without activity', async () => {
    const p = Presence.inMemory();
    p.active('slack:U1', T0);
    await p.declare('slack:U1', false, T0);
    assert.equal(p.isOnDuty('slack:U1', T0), false);
    await p.declare('admin:desk', true, T0);
    assert.deepEqual(p.onDuty(later(10 * ACTIVE_MS)), ['admin:desk']);
  });

  it('keeps the toggles across a restart', async () => {
    const dir = tempDir();
    const store = await openLowdbStore(dir);
    await (await Presence.open(store)).declare('slack:U7', true, T0);
    await store.close();
    const reopened = await openLowdbStore(dir);
    const p = await Presence.open(reopened);
    assert.deepEqual(p.onDuty(later(ACTIVE_MS * 100)), ['slack:U7']);
    await reopened.close();
  });
});
