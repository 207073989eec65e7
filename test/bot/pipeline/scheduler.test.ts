import assert from 'node:assert/strict';
import { createLogger } from '../../../src/bot/log.js';
import { monthLog, Scheduler, TASK_MONTHS_LOG, type RunJob } from '../../../src/bot/pipeline/scheduler.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { Store, StoredJob, StoredTask } from '../../../src/bot/store/store.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const T0 = new Date('2026-11-27T02:00:00Z');
const HOUR = 3600_000;
const JOB: StoredJob = { kind: 'followup', sessionId: 'sess-1', ticket: 'T1127-AAAAA', team: 'complaints' };
const quiet = createLogger('error', () => undefined);

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

for (const [name, make] of Object.entries(harnesses)) {
  describe(`promises with a time on them, on ${name}`, function () {
    this.timeout(30_000);
    let clock = T0;
    const stores: Store[] = [];
    let harness: Harness;

    beforeEach(async () => {
      clock = T0;
      harness = await make();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
    });
    after(async () => {
      cleanTempDirs();
      await cleanTestDatabases();
    });

    async function scheduler(run: RunJob, leads = () => true): Promise<{ scheduler: Scheduler; store: Store }> {
      const store = await harness.open();
      stores.push(store);
      const s = new Scheduler({ store, run, now: () => clock, log: quiet, leads });
      await s.start(0);
      return { scheduler: s, store };
    }

    async function restart(run: RunJob): Promise<Scheduler> {
      for (const s of stores.splice(0)) await s.close();
      return (await scheduler(run)).scheduler;
    }

    it('runs a task when it is due, not before, and once', async () => {
      const ran: StoredTask[] = [];
      const { scheduler: s } = await scheduler(async (t) => void ran.push(t));
      const task = await s.schedule(JOB, new Date(T0.getTime() + 72 * HOUR));
      clock = new Date(T0.getTime() + 71 * HOUR);
      assert.equal(await s.tick(), 0);
      clock = new Date(T0.getTime() + 72 * HOUR);
      assert.equal(await s.tick(), 1);
      assert.equal(await s.tick(), 0);
      assert.deepEqual(ran.map((t) => t.id), [task.id]);
      assert.deepEqual(ran[0]?.job, JOB);
    });

    it('keeps a task across a restart, and does not run it again after one', async () => {
      const ran: string[] = [];
      const run: RunJob = async (t) => void ran.push(t.id);
      const { scheduler: first } = await scheduler(run);
      const task = await first.schedule(JOB, new Date(T0.getTime() + 72 * HOUR));
      clock = new Date(T0.getTime() + 80 * HOUR);
      const second = await restart(run);
      assert.deepEqual(second.pending().map((t) => t.id), [task.id]);
      assert.equal(await second.tick(), 1);
      const third = await restart(run);
      assert.equal(await third.tick(), 0);
      assert.deepEqual(ran, [task.id]);
    });

    it('tries a failing task again at the next tick', async () => {
      let fail = true;
      const ran: string[] = [];
      const { scheduler: s } = await scheduler(async (t) => {
        if (fail) throw new Error('Slack is down');
        ran.push(t.id);
      });
      await s.schedule(JOB, T0);
      assert.equal(await s.tick(), 0);
      assert.equal(s.pending().length, 1);
      fail = false;
      assert.equal(await s.tick(), 1);
      assert.equal(ran.length, 1);
    });

    it('runs nothing where it does not lead, and the leader finds a task another instance stored', async () => {
      const ran: string[] = [];
      const { scheduler: follower } = await scheduler(async () => assert.fail('a follower ran a task'), () => false);
      const task = await follower.schedule(JOB, T0);
      assert.equal(await follower.tick(), 0);
      // The leader started before the task was stored: it finds it in the store at its next tick.
      const leaderStore = stores[0] as Store;
      const leader = new Scheduler({ store: leaderStore, run: async (t) => void ran.push(t.id), now: () => clock, log: quiet });
      assert.equal(await leader.tick(), 1);
      assert.deepEqual(ran, [task.id]);
    });

    it('does not run a cancelled task', async () => {
      const { scheduler: s } = await scheduler(async () => assert.fail('a cancelled task ran'));
      const task = await s.schedule(JOB, T0);
      await s.cancel(task);
      assert.equal(await s.tick(), 0);
      assert.equal((await restart(async () => assert.fail('a cancelled task ran'))).pending().length, 0);
    });

    it('takes a time already past as due now, in a month still read', async () => {
      clock = new Date('2026-12-01T00:00:00Z');
      const { scheduler: s } = await scheduler(async () => undefined);
      const task = await s.schedule(JOB, new Date('2026-11-01T00:00:00Z'));
      assert.equal(task.due, clock.toISOString());
      assert.equal(await s.tick(), 1);
    });

    it('closes a month in the index once it is over and every task in it settled', async () => {
      const { scheduler: s, store } = await scheduler(async () => undefined);
      await s.schedule(JOB, new Date(T0.getTime() + 72 * HOUR));
      const log = monthLog(new Date(T0.getTime() + 72 * HOUR));
      clock = new Date('2026-12-15T00:00:00Z');
      assert.equal(await s.tick(), 1);
      const months = (await store.read(TASK_MONTHS_LOG)).filter((e) => e.kind === 'task' && e.op === 'month');
      assert.deepEqual(
        months.map((e) => e.kind === 'task' && e.op === 'month' && [e.month, e.live]),
        [
          [log, true],
          [log, false],
        ],
      );
    });
  });
}
