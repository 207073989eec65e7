import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { RunningServer } from '../../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTempDirs } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
/** Saturday 23:30 in Shanghai: the team is away until 09:00. */
const CLOSED = new Date('2026-11-28T15:30:00Z');

describe('the admin page lists what Tact has promised customers for later', function () {
  this.timeout(30_000);
  let server: RunningServer;

  before(async () => {
    server = await testServer(testConfig(resolve('knowledge-base'), { TACT_ADMIN_TOKEN: TOKEN }), { now: () => CLOSED, watchKb: false, schedulerTickMs: 0 });
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  it('shows the call-back promised to a customer who left a message out of hours, with when it is due', async () => {
    const { client } = await ChatClient.open(server.url, { lang: 'zh' });
    await client.reply();
    client.send({ type: 'message', id: 'form-1', text: '快递还没到', payload: 'leave_message', contact: '13812345678' });
    await client.reply();
    client.close();
    const ticket = (await server.store.read(server.scheduler.pending().flatMap((t) => ('sessionId' in t.job ? [t.job.sessionId] : []))[0] ?? '')).find((e) => e.kind === 'handoff');
    assert.ok(ticket?.kind === 'handoff');
    const page = await (await fetch(`${server.url}/admin/conversations`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    assert.match(page, /Promised for later/);
    assert.match(page, new RegExp(`<time datetime="2026-11-29T01:00:00.000Z">2026-11-29 01:00 UTC</time>: Call-back for ${ticket.ticket}`));
    assert.doesNotMatch(page, /13812345678/);
  });
});
