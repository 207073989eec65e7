import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';
import { freePort, killed, serve } from '../../helpers/child-server.js';
import { declareOnDuty } from '../../helpers/on-duty.js';

describe('a server restart', function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  after(async () => {
    await Promise.all(children.map(killed));
    cleanTempDirs();
  });

  it('loses no acknowledged message to kill -9, keeps the queue, and the customer resumes the conversation', async () => {
    const env = { PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: tempDir() };
    await declareOnDuty(env.TACT_DATA_DIR);
    const first = await serve(env);
    children.push(first.process);
    assert.equal(first.exitCode, null, first.stderr);

    const waiting = await ChatClient.open(first.url, { lang: 'zh' });
    await waiting.client.say('转人工');
    await waiting.client.next((f) => f.type === 'status');

    const { client, welcome } = await ChatClient.open(first.url, { lang: 'zh' });
    const acked: string[] = [];
    client.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; id?: string };
      if (f.type === 'ack' && f.id) acked.push(f.id);
    });
    for (let i = 0; i < 15; i++) client.send({ type: 'message', id: `msg-${i}`, text: `第${i}个问题：下单后多久发货？` });
    while (acked.length < 6) await new Promise((r) => setTimeout(r, 5));
    await killed(first.process);
    const ackedBeforeKill = [...acked];

    const second = await serve(env);
    children.push(second.process);
    assert.equal(second.exitCode, null, second.stderr);
    const resumed = await ChatClient.open(second.url, { token: welcome.session, after: 0 });
    assert.equal(resumed.welcome.session, welcome.session, 'the session token outlives the process (secret kept in the data directory)');
    const stored = new Set(resumed.welcome.history.filter((m) => m.from === 'customer').map((m) => m.id));
    for (const id of ackedBeforeKill) assert.ok(stored.has(id), `acknowledged ${id} was lost`);
    const seqs = resumed.welcome.history.map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'history in order');

    const health = (await (await fetch(`${second.url}/healthz`)).json()) as { queued: number };
    // The second customer's unanswered questions were answered at startup, and asking nearly the same thing again and again hands them to a person too.
    assert.equal(health.queued, resumed.welcome.status === 'queued' ? 2 : 1, 'the waiting customer is still in the queue');

    // The widget re-sends what was never acknowledged; it is stored once.
    const unacked = Array.from({ length: 15 }, (_, i) => `msg-${i}`).filter((id) => !stored.has(id));
    for (const id of unacked.slice(0, 3)) await resumed.client.say('又问一次：退款多久到账？', undefined, id);
    resumed.client.close();
    waiting.client.close();
    client.close();
  });

  it('picks a complaint intake up where it stopped when the server comes back', async () => {
    const config = testConfig(shopKb());
    const first = await testServer(config);
    const { client, welcome } = await ChatClient.open(first.url, { lang: 'zh' });
    await client.reply();
    await client.say('我要投诉，快递员态度太差了');
    await client.reply();
    assert.match((await client.reply()).text, /订单号/);
    client.close();
    await first.close();
    const second = await testServer(config);
    const resumed = await ChatClient.open(second.url, { token: welcome.session, after: 100 });
    await resumed.client.say('DD123456');
    assert.match((await resumed.client.reply()).text, /具体经过/, 'the intake asks its next question, not a fresh decision');
    resumed.client.close();
    await second.close();
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const dataDir = tempDir();
    const first = await serve({ PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: dataDir });
    children.push(first.process);
    const second = await serve({ PORT: String(await freePort()), TACT_KB_DIR: shopKb(), TACT_DATA_DIR: dataDir });
    assert.equal(second.exitCode, 2);
    assert.match(second.stderr, /in use by another Tact process \(pid \d+\)/);
    await killed(first.process);
  });

  it('stops at startup on a bad environment variable, naming it', async () => {
    const bad = await serve({ PORT: 'eighty', TACT_KB_DIR: shopKb(), TACT_DATA_DIR: tempDir(), TACT_SESSION_SECRET: 'short' });
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /PORT: must be a port number/);
    assert.match(bad.stderr, /TACT_SESSION_SECRET: must be at least 32 characters/);
  });
});
