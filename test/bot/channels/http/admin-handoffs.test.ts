import assert from 'node:assert/strict';
import { createLogger } from '../../../../src/bot/log.js';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../../../src/bot/store/store.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { ioError, withFaults } from '../../../helpers/faulty-store.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const sessionId = (name: string): string => name.padEnd(22, 'x');

function handedOff(ticket: string, at: string): StoredEvent[] {
  return [
    { kind: 'message', at, from: 'customer', text: '转人工', id: `asked-${ticket}` },
    { kind: 'turn', at, id: `asked-${ticket}` },
    { kind: 'handoff', at, reason: 'requested', team: 'support', channel: '#support', ticket, details: {} },
  ];
}

describe("the admin page's open handoffs", () => {
  after(() => cleanTempDirs());

  it('reads only the conversations with an open handoff, and shows the others when one cannot be read', async () => {
    const config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
    const [waiting, unreadable, chatted] = [sessionId('waiting'), sessionId('unreadable'), sessionId('chatted')];
    const setup = await openLowdbStore(config.dataDir);
    for (const e of handedOff('T1127-WAIT1', '2026-11-27T02:01:00.000Z')) await setup.append(waiting, e);
    for (const e of handedOff('T1127-BROKE', '2026-11-27T02:02:00.000Z')) await setup.append(unreadable, e);
    await setup.append(chatted, { kind: 'message', at: '2026-11-27T02:03:00.000Z', from: 'customer', text: '下单后多久发货？', id: 'q' });
    await setup.append(chatted, { kind: 'turn', at: '2026-11-27T02:03:00.000Z', id: 'q' });
    await setup.close();

    const reads: string[] = [];
    const logged: string[] = [];
    const server = await testServer(config, {
      watchKb: false,
      log: createLogger('warn', (line) => logged.push(line)),
      wrapStore: (store) =>
        withFaults(store, {
          read: (id) => {
            reads.push(id);
            return id === unreadable ? ioError('EACCES', 'permission denied') : null;
          },
        }),
    });
    try {
      const signIn = await fetch(`${server.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: TOKEN }).toString() });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      reads.length = 0;
      logged.length = 0;

      const page = await fetch(`${server.url}/admin/conversations`, { headers: { cookie } });
      const html = await page.text();

      assert.equal(page.status, 200, html.slice(0, 300));
      assert.match(html, /T1127-WAIT1/);
      assert.doesNotMatch(html, /T1127-BROKE/);
      assert.ok(!reads.includes(chatted), `a conversation with nothing open is not read (read: ${reads.join(', ')})`);
      assert.ok(
        logged.some((line) => line.includes(unreadable)),
        'the unreadable conversation is logged with its id',
      );
    } finally {
      await server.close();
    }
  });

  it('claims a waiting conversation with the first reply, and refuses a reply under another name while an agent has it', async () => {
    const config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
    const [waiting, held] = [sessionId('waiting'), sessionId('held')];
    const setup = await openLowdbStore(config.dataDir);
    for (const e of handedOff('T1127-WAIT1', '2026-11-27T02:01:00.000Z')) await setup.append(waiting, e);
    for (const e of handedOff('T1127-HELD1', '2026-11-27T02:02:00.000Z')) await setup.append(held, e);
    await setup.append(held, { kind: 'agent', at: '2026-11-27T02:03:00.000Z', event: 'joined', agent: 'Alice' });
    await setup.close();
    const server = await testServer(config, { watchKb: false });
    const reply = (id: string, agent: string): Promise<Response> =>
      fetch(`${server.url}/admin/conversations/${id}/reply`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ agent, text: 'Hello, I can help.' }).toString(),
      });
    const moves = async (id: string): Promise<string[]> => (await server.store.read(id)).flatMap((e) => (e.kind === 'agent' ? [`${e.event}:${e.agent}`] : e.kind === 'message' && e.from === 'agent' ? [`said:${e.agent ?? ''}`] : []));
    try {
      assert.equal((await reply(waiting, 'Bob')).status, 303);
      assert.deepEqual(await moves(waiting), ['joined:Bob', 'said:Bob']);

      const refused = await reply(held, 'Bob');
      assert.equal(refused.status, 409);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'already_claimed');
      assert.equal((await reply(held, 'Alice')).status, 303, 'the agent who has it just replies');
      assert.deepEqual(await moves(held), ['joined:Alice', 'said:Alice']);
    } finally {
      await server.close();
    }
  });
});
