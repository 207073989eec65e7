import assert from 'node:assert/strict';
import { Staff } from '../../../../src/bot/pipeline/staff.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { cleanTestDatabases, createTestDatabase } from '../../../helpers/postgres.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const PASSWORD = 'correct horse battery';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function signIn(server: RunningServer, name: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${server.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: FORM, body: new URLSearchParams({ name, password: PASSWORD }).toString() });
  assert.equal(res.status, 303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await fetch(`${server.url}/admin/dashboard`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '' };
}

/** The status a page answers the cookie with: 200 signed in, 303 sent to sign in. */
async function statusWith(server: RunningServer, cookie: string): Promise<number> {
  return (await fetch(`${server.url}/admin/conversations`, { redirect: 'manual', headers: { cookie } })).status;
}

describe('staff sessions across restarts and instances', function () {
  this.timeout(60_000);
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  after(async () => {
    cleanTempDirs();
    await cleanTestDatabases();
  });

  async function start(config: ReturnType<typeof testConfig>): Promise<RunningServer> {
    const server = await testServer(config, { watchKb: false });
    servers.push(server);
    return server;
  }

  it('keeps a staff session across a restart, and keeps a revoked one out after it', async () => {
    const config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
    let server = await start(config);
    await new Staff(server.store, () => new Date()).add('Lin', 'agent', PASSWORD);
    const kept = await signIn(server, 'Lin');
    const revoked = await signIn(server, 'Lin');
    await servers.pop()?.close();

    server = await start(config);
    assert.equal(await statusWith(server, kept.cookie), 200, 'still signed in after the restart');
    await new Staff(server.store, () => new Date()).revoke('Lin');
    const fresh = await signIn(server, 'Lin');
    await servers.pop()?.close();

    server = await start(config);
    assert.equal(await statusWith(server, revoked.cookie), 303, 'a revoked session stays ended after a restart');
    assert.equal(await statusWith(server, fresh.cookie), 200);
  });

  it('ends a session on every instance sharing PostgreSQL when the person is revoked or signs out on one', async () => {
    const url = await createTestDatabase();
    const config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN, TACT_DATABASE_URL: url });
    const a = await start(config);
    const b = await start(config);
    await new Staff(a.store, () => new Date()).add('Lin', 'agent', PASSWORD);
    await new Staff(a.store, () => new Date()).add('Mo', 'admin', PASSWORD);
    const lin = await signIn(a, 'Lin');
    assert.equal(await statusWith(b, lin.cookie), 200, 'a session from one instance works on the other');
    const mo = await signIn(b, 'Mo');
    const revoke = await fetch(`${b.url}/admin/staff/revoke`, { method: 'POST', redirect: 'manual', headers: { ...FORM, cookie: mo.cookie }, body: new URLSearchParams({ _csrf: mo.csrf, name: 'Lin' }).toString() });
    assert.equal(revoke.status, 303);
    assert.equal(await statusWith(a, lin.cookie), 303, 'revoked on b, out on a');

    const again = await signIn(a, 'Lin');
    await fetch(`${a.url}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { ...FORM, cookie: again.cookie }, body: new URLSearchParams({ _csrf: again.csrf }).toString() });
    assert.equal(await statusWith(b, again.cookie), 303, 'signed out on a, out on b');
  });
});
