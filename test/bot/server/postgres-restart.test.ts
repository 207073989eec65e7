import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { RunningServer } from '../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTestDatabases, createTestDatabase } from '../../helpers/postgres.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const SECRET = 'r'.repeat(40);

/** Restarts the machine's PostgreSQL as an operator would (`pg_ctlcluster … restart`): every connection is cut. */
function restartPostgres(): void {
  const version = readdirSync('/etc/postgresql')[0] as string;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'ignore', timeout: 60_000 });
}

describe('PostgreSQL restarted under a live conversation', function () {
  this.timeout(90_000);
  let server: RunningServer | null = null;
  after(async () => {
    await server?.close();
    await cleanTestDatabases();
    cleanTempDirs();
  });

  it('acknowledges nothing it could not store, loses nothing it acknowledged, and recovers by itself', async () => {
    server = await testServer(testConfig(shopKb(), { TACT_DATABASE_URL: await createTestDatabase(), TACT_SESSION_SECRET: SECRET }));
    const { client } = await ChatClient.open(server.url, { lang: 'zh' });
    const acked = new Set<string>();
    client.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; id?: string; code?: string };
      if (f.type === 'ack' && f.id) acked.add(f.id);
    });
    let sent = 0;
    const sending = setInterval(() => client.send({ type: 'message', id: `m${sent++}`, text: `第${sent}个问题：下单后多久发货？` }), 250);
    await new Promise((r) => setTimeout(r, 500));
    restartPostgres();
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(sending);

    // Recovered by itself: a message sent now is stored and acknowledged.
    assert.equal(client.closed, null, 'the customer is still connected');
    const after = await client.say('恢复了吗？', undefined, 'after-restart');
    assert.ok(after.seq > 0);
    const conversation = [...(await server.store.conversations())].find((id) => id.length === 22) as string;
    const all = new Set((await server.store.read(conversation)).flatMap((e) => (e.kind === 'message' && e.id ? [e.id] : [])));
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
    assert.equal(health.status, 'ok', 'healthy again');
    const lost = [...acked].filter((id) => !all.has(id));
    assert.deepEqual(lost, [], 'every acknowledged message is in the database');
    assert.ok(all.has('after-restart'));
    client.close();
  });
});
