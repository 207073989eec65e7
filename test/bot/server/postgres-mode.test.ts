import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { RunningServer } from '../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { freePort, killed, serve } from '../../helpers/child-server.js';
import { cleanTestDatabases, createTestDatabase } from '../../helpers/postgres.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const SECRET = 'p'.repeat(40);

describe('Tact on PostgreSQL (TACT_DATABASE_URL)', function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  const servers: RunningServer[] = [];
  after(async () => {
    await Promise.all(children.map(killed));
    await Promise.all(servers.map((s) => s.close()));
    await cleanTestDatabases();
    cleanTempDirs();
  });

  it('loses no acknowledged message to kill -9, and the customer resumes with the history numbered as before', async () => {
    const env = { PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATABASE_URL: await createTestDatabase(), TACT_SESSION_SECRET: SECRET, TACT_DATA_DIR: '/nonexistent/tact-data' };
    const first = await serve(env);
    children.push(first.process);
    assert.equal(first.exitCode, null, first.stderr);

    const { client, welcome } = await ChatClient.open(first.url, { lang: 'zh' });
    const acked: string[] = [];
    client.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; id?: string };
      if (f.type === 'ack' && f.id) acked.push(f.id);
    });
    for (let i = 0; i < 12; i++) client.send({ type: 'message', id: `msg-${i}`, text: `第${i}个问题：下单后多久发货？` });
    while (acked.length < 5) await new Promise((r) => setTimeout(r, 5));
    await killed(first.process);
    const ackedBeforeKill = [...acked];

    const second = await serve(env);
    children.push(second.process);
    assert.equal(second.exitCode, null, second.stderr);
    const resumed = await ChatClient.open(second.url, { token: welcome.session, after: 0 });
    const stored = new Set(resumed.welcome.history.filter((m) => m.from === 'customer').map((m) => m.id));
    for (const id of ackedBeforeKill) assert.ok(stored.has(id), `acknowledged ${id} was lost`);
    const seqs = resumed.welcome.history.map((m) => m.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'numbered once each, in order');
    const ack = await resumed.client.say('退款多久到账？');
    assert.ok(ack.seq > Math.max(...seqs), `the next message is numbered after the history (${ack.seq})`);
    resumed.client.close();
    client.close();
  });

  it('lets a customer who started on one instance carry on from another sharing the database', async () => {
    const config = testConfig(shopKb(), { TACT_DATABASE_URL: await createTestDatabase(), TACT_SESSION_SECRET: SECRET });
    const a = await testServer(config);
    servers.push(a);
    const b = await testServer(config);
    servers.push(b);

    const onA = await ChatClient.open(a.url, { lang: 'zh' });
    await onA.client.say('下单后多久发货？');
    const answer = await onA.client.reply();
    const onB = await ChatClient.open(b.url, { token: onA.welcome.session, after: 0 });
    assert.equal(onB.welcome.session, onA.welcome.session, 'a token signed on A verifies on B');
    const seenOnA = onA.client.frames.flatMap((f) => (f.type === 'ack' || f.type === 'message' ? [f.seq] : [])).sort((x, y) => x - y);
    assert.deepEqual(
      onB.welcome.history.map((m) => m.seq),
      seenOnA,
      'B numbers the history as A did',
    );
    assert.ok(onB.welcome.history.some((m) => m.text === answer.text), 'B shows the answer A gave');
    const next = await onB.client.say('退款多久到账？');
    assert.equal(next.seq, Math.max(...onB.welcome.history.map((m) => m.seq)) + 1, 'B numbers after what A stored');
    onA.client.close();
    onB.client.close();
  });
});
