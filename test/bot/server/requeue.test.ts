import assert from 'node:assert/strict';
import { createLogger } from '../../../src/bot/log.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../../src/bot/store/store.js';
import { testConfig, testServer } from '../../helpers/chat-server.js';
import { ioError, withFaults } from '../../helpers/faulty-store.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

/** A session id as the chat socket makes them (22 base64url characters). */
const sessionId = (name: string): string => name.padEnd(22, 'x');

function handedOffAt(at: string): StoredEvent[] {
  return [
    { kind: 'message', at, from: 'customer', text: '转人工', id: `asked-${at}` },
    { kind: 'turn', at, id: `asked-${at}` },
    { kind: 'handoff', at, reason: 'requested', team: 'support', channel: '#support', ticket: 'T1127-AAAAA', details: {} },
  ];
}

describe('requeue at startup', () => {
  after(() => cleanTempDirs());

  it('starts with an unreadable conversation, logs its id, and requeues the other waiting customers in the order they were handed off', async () => {
    const config = testConfig(shopKb());
    const [early, unreadable, late, served] = [sessionId('early'), sessionId('unreadable'), sessionId('late'), sessionId('served')];
    const setup = await openLowdbStore(config.dataDir);
    for (const e of handedOffAt('2026-11-27T02:05:00.000Z')) await setup.append(late, e);
    for (const e of handedOffAt('2026-11-27T02:03:00.000Z')) await setup.append(unreadable, e);
    for (const e of handedOffAt('2026-11-27T02:01:00.000Z')) await setup.append(early, e);
    for (const e of handedOffAt('2026-11-27T02:02:00.000Z')) await setup.append(served, e);
    await setup.append(served, { kind: 'agent', at: '2026-11-27T02:04:00.000Z', event: 'resolved', agent: 'Ann' });
    await setup.close();

    const logged: string[] = [];
    const reads: string[] = [];
    const server = await testServer(config, {
      log: createLogger('warn', (line) => logged.push(line)),
      wrapStore: (store) =>
        withFaults(store, {
          read: (id) => {
            reads.push(id);
            return id === unreadable ? ioError('EACCES', `permission denied, open 'conversations/${id}.json'`) : null;
          },
        }),
    });
    try {
      assert.deepEqual(
        server.desk.waiting().map((w) => w.sessionId),
        [early, late],
      );
      assert.ok(
        logged.some((line) => line.includes(unreadable) && /EACCES/.test(line)),
        `the unreadable conversation is named in the log: ${logged.join('')}`,
      );
      assert.ok(!reads.includes(served), 'a conversation with nothing open is not read at startup');
    } finally {
      await server.close();
    }
  });
});
