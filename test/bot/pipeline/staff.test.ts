import assert from 'node:assert/strict';
import { Staff, StaffError, STAFF_LOG } from '../../../src/bot/pipeline/staff.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const T0 = new Date('2026-12-06T02:00:00Z');
const PASSWORD = 'correct horse battery';

/** A store that can be closed and opened again on the same data, as a restart does. */
interface Harness {
  open(): Promise<Store>;
}

const harnesses: Record<string, () => Promise<Harness>> = {
  'the embedded store': async () => {
    const dir = tempDir();
    return { open: () => openLowdbStore(dir) };
  },
  PostgreSQL: async () => {
    const url = await createTestDatabase();
    return { open: async () => track(await openPgStore(url)) };
  },
};

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof StaffError && err.code === code);
}

for (const [name, make] of Object.entries(harnesses)) {
  describe(`staff accounts, on ${name}`, function () {
    this.timeout(30_000);
    const stores: Store[] = [];
    let harness: Harness;

    beforeEach(async () => {
      harness = await make();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
    });
    after(async () => {
      cleanTempDirs();
      await cleanTestDatabases();
    });

    async function staff(): Promise<{ staff: Staff; store: Store }> {
      const store = await harness.open();
      stores.push(store);
      return { staff: new Staff(store, () => T0), store };
    }

    it('adds people with a role, lists them by name, and keeps only a hash of the password', async () => {
      const { staff: s, store } = await staff();
      await s.add('Lin Wei', 'agent', PASSWORD);
      await s.add('anna', 'editor', PASSWORD);
      assert.deepEqual(
        (await s.list()).map((p) => [p.name, p.role, p.since]),
        [
          ['anna', 'editor', T0.toISOString()],
          ['Lin Wei', 'agent', T0.toISOString()],
        ],
      );
      assert.ok(!JSON.stringify(await store.read(STAFF_LOG)).includes(PASSWORD));
    });

    it('refuses a name taken in any case, a weak password, an unknown role, and names that are not names', async () => {
      const { staff: s } = await staff();
      await s.add('Lin', 'agent', PASSWORD);
      await refused(s.add('lin', 'admin', PASSWORD), 'STAFF_EXISTS');
      await refused(s.add('ann', 'agent', 'short'), 'STAFF_WEAK_PASSWORD');
      await refused(s.add('ann', 'root', PASSWORD), 'STAFF_BAD_ROLE');
      for (const bad of ['', '   ', '../etc/passwd', '<script>', 'a'.repeat(41), 'admin (token)', '-lin', 'li\nn', 'lin\u0000x', 'a\u202ebc']) await refused(s.add(bad, 'agent', PASSWORD), 'STAFF_BAD_NAME');
      assert.deepEqual((await s.list()).map((p) => p.name), ['Lin']);
    });

    it('signs in with the right password only, whatever the case of the name', async () => {
      const { staff: s } = await staff();
      await s.add('Lin', 'admin', PASSWORD);
      assert.equal((await s.signIn('lin', PASSWORD))?.role, 'admin');
      assert.equal(await s.signIn('Lin', `${PASSWORD}!`), null);
      assert.equal(await s.signIn('nobody', PASSWORD), null);
      assert.equal(await s.signIn('../x', PASSWORD), null);
    });

    it('ends sessions on a revocation, a new password, a sign-out and a removal — and a person added again does not get old ones back', async () => {
      const { staff: s } = await staff();
      const lin = await s.add('Lin', 'agent', PASSWORD);
      assert.ok(await s.sessionHolder('Lin', lin.generation, 'one'));
      await s.signOut('Lin', 'one');
      assert.equal(await s.sessionHolder('Lin', lin.generation, 'one'), null);
      assert.ok(await s.sessionHolder('Lin', lin.generation, 'two'));
      await s.revoke('lin');
      assert.equal(await s.sessionHolder('Lin', lin.generation, 'two'), null);
      const revoked = await s.find('Lin');
      assert.ok(revoked && (await s.sessionHolder('Lin', revoked.generation, 'three')));
      await s.setPassword('Lin', 'another good passphrase');
      assert.equal(await s.sessionHolder('Lin', revoked.generation, 'three'), null);
      assert.equal(await s.signIn('Lin', PASSWORD), null);
      const now = await s.signIn('Lin', 'another good passphrase');
      assert.ok(now);
      await s.remove('Lin');
      assert.equal(await s.sessionHolder('Lin', now.generation, 'four'), null);
      const again = await s.add('Lin', 'admin', PASSWORD);
      assert.ok(again.generation > now.generation);
      for (let g = 1; g < again.generation; g += 1) assert.equal(await s.sessionHolder('Lin', g, 'four'), null, `generation ${g}`);
      await refused(s.revoke('nobody'), 'STAFF_UNKNOWN');
      await refused(s.remove('nobody'), 'STAFF_UNKNOWN');
    });

    it('keeps accounts and revocations across a restart', async () => {
      const first = await staff();
      const lin = await first.staff.add('Lin', 'agent', PASSWORD);
      await first.staff.revoke('Lin');
      for (const s of stores.splice(0)) await s.close();
      const second = await staff();
      assert.equal((await second.staff.signIn('Lin', PASSWORD))?.name, 'Lin');
      assert.equal(await second.staff.sessionHolder('Lin', lin.generation, 'x'), null);
    });
  });
}
