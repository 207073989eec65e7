import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dashboardStats } from '../../../src/bot/channels/http/admin-stats.js';
import { REMOVED } from '../../../src/bot/core/anonymise.js';
import { createLogger } from '../../../src/bot/log.js';
import { ScheduledCommitments } from '../../../src/bot/pipeline/commitments.js';
import { PRIVACY_AUDIT_LOG } from '../../../src/bot/pipeline/privacy-audit.js';
import { DAY_MS, Retention } from '../../../src/bot/pipeline/retention.js';
import { Scheduler } from '../../../src/bot/pipeline/scheduler.js';
import { SessionBook } from '../../../src/bot/pipeline/sessions.js';
import { FsFileStore } from '../../../src/bot/store/fs-file-store.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { readConversations, type Store, type StoredEvent, type StoredFile } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { filesHolding } from '../../helpers/traces.js';

const quiet = createLogger('error', () => undefined);
/** Real time: the embedded store tells recent conversations by their files' times, which the clock cannot move. */
const START = Date.now();

function conversation(start: number, words: string, file?: StoredFile): StoredEvent[] {
  const at = (m: number): string => new Date(start + m * 60_000).toISOString();
  return [
    { kind: 'session', at: at(0), lang: 'zh', customerId: `cust-${words}`, name: '王女士' },
    { kind: 'message', at: at(0), from: 'customer', text: words, id: 'w1', ...(file ? { file } : {}) },
    { kind: 'decision', at: at(0), action: 'answer', faqId: 'shipping-time', handoffReason: null, confidence: 0.8 },
    { kind: 'message', at: at(1), from: 'customer', text: `${words} 13812345678`, id: 'w2' },
    { kind: 'handoff', at: at(1), reason: 'requested', team: 'general', channel: '#cs', ticket: 'T1120-AAAAA', details: { contact: '13812345678' } },
    { kind: 'message', at: at(6), from: 'agent', text: '您好王女士', agent: '小林' },
    { kind: 'rating', at: at(20), score: 4, comment: words },
  ];
}

describe('retention', () => {
  after(cleanTempDirs);

  /** A store seeded by `seed` and opened again (its log folded into the files, as a server's is within the day), with the retention job. */
  async function setup(days: number, seed: (store: Store, files: FsFileStore) => Promise<void>): Promise<{ store: Store; dir: string; files: FsFileStore; clock: { now: number }; retention: Retention; scheduler: Scheduler }> {
    const dir = tempDir();
    const files = new FsFileStore(dir);
    const first = await openLowdbStore(dir);
    await seed(first, files);
    await first.close();
    const store = await openLowdbStore(dir);
    const clock = { now: START };
    const now = (): Date => new Date(clock.now);
    let retention: Retention | null = null;
    const commitments = new ScheduledCommitments({ store, sessions: new SessionBook(store), now, listening: async () => false, receive: async () => undefined, agents: { followUpDue: async () => undefined, callBackDue: async () => undefined }, mail: null, retention: async (task) => retention?.run(task) });
    const scheduler = new Scheduler({ store, run: commitments.run, now, log: quiet });
    await scheduler.start(0);
    retention = new Retention({ store, files, tasks: scheduler, now, log: quiet, elsewhere: [] }, days, scheduler);
    return { store, dir, files, clock, retention, scheduler };
  }

  it('anonymises only conversations inactive longer than the retention period, deletes their files, and the dashboard adds up the same', async () => {
    const file: StoredFile = { id: randomBytes(16).toString('base64url'), kind: 'pdf', mime: 'application/pdf', name: 'invoice.pdf', size: 9, width: null, height: null, at: new Date(START).toISOString(), from: 'customer' };
    const { store, dir, files, clock, retention, scheduler } = await setup(30, async (seeding, seedFiles) => {
      for (const e of conversation(START, 'oldwords', file)) await seeding.append('old-one', e);
      await seedFiles.put('old-one', file, Buffer.from('OLD-BYTES'), null);
      // Another conversation, active 29 days later: recent, kept.
      for (const e of conversation(START + 29 * DAY_MS, 'newwords')) await seeding.append('recent-one', e);
    });
    // The dashboard as it was on the old conversation's day, and on the recent one's.
    const stats = async (s: Store) => [START + 3600_000, START + 29 * DAY_MS + 3600_000].map(async (t) => dashboardStats(await readConversations(s), new Date(t), 'Asia/Shanghai'));
    const before = await Promise.all(await stats(store));
    assert.equal(before[0]?.conversations, 1);
    assert.deepEqual(before[0]?.ratings, [0, 0, 0, 1, 0]);

    clock.now = START + 10 * DAY_MS;
    assert.equal(await retention.anonymiseOld(), 0, 'nothing is older than 30 days yet');
    clock.now = START + 31 * DAY_MS;
    await retention.ensureScheduled();
    assert.equal(await scheduler.tick(), 1, 'the retention task runs when due');

    const old = await store.read('old-one');
    assert.deepEqual(old.filter((e) => e.kind === 'message').map((e) => e.text), [REMOVED, REMOVED, REMOVED]);
    assert.ok(old.some((e) => e.kind === 'privacy' && e.op === 'redacted' && e.why === 'retention'));
    assert.deepEqual((await store.read('recent-one')).filter((e) => e.kind === 'message').map((e) => e.text), ['newwords', 'newwords 13812345678', '您好王女士']);
    assert.equal(await files.read('old-one', file.id, 'file'), null);
    await store.close();
    assert.deepEqual(filesHolding(dir, 'oldwords'), [], 'the old words are gone from the disk');
    assert.deepEqual(filesHolding(dir, 'OLD-BYTES'), []);
    assert.notDeepEqual(filesHolding(dir, 'newwords'), [], 'the recent ones are still there');
    const reopened = await openLowdbStore(dir);
    assert.deepEqual(await Promise.all(await stats(reopened)), before, 'conversations, handoffs, first responses, ratings and FAQs unchanged');
    const audit = await reopened.read(PRIVACY_AUDIT_LOG);
    assert.deepEqual(audit.map((e) => (e.kind === 'privacy' && e.op === 'audit' ? [e.action, e.conversations, e.files] : null)), [['retention', 1, 1]]);
    await reopened.close();
  });

  it('keeps a conversation with a promise still due, however old, and anonymises it once the promise is kept', async () => {
    const { store, clock, retention, scheduler } = await setup(30, async (seeding) => {
      for (const e of conversation(START, 'promised')) await seeding.append('promised-one', e);
    });
    const followUp = await scheduler.schedule({ kind: 'followup', sessionId: 'promised-one', ticket: 'T1120-AAAAA', team: 'general' }, new Date(START + 60 * DAY_MS));
    clock.now = START + 40 * DAY_MS;
    assert.equal(await retention.anonymiseOld(), 0, 'the follow-up is still to come');
    assert.ok((await store.read('promised-one')).some((e) => e.kind === 'message' && e.text === 'promised'));
    await scheduler.cancel(followUp);
    assert.equal(await retention.anonymiseOld(), 1);
    await store.close();
  });

  it('stores the next run a day later, once, and leaves an anonymised conversation alone after', async () => {
    const { store, clock, retention, scheduler } = await setup(1, async (seeding) => {
      for (const e of conversation(START, 'words')) await seeding.append('c1', e);
    });
    clock.now = START + 2 * DAY_MS;
    await retention.ensureScheduled();
    await retention.ensureScheduled();
    assert.equal(scheduler.pending().filter((t) => t.job.kind === 'retention').length, 1, 'one task, however often startup asks');
    await scheduler.tick();
    const next = scheduler.pending().filter((t) => t.job.kind === 'retention');
    assert.deepEqual(next.map((t) => t.due), [new Date(START + 3 * DAY_MS).toISOString()]);
    const after = await store.read('c1');
    clock.now = START + 40 * DAY_MS;
    assert.equal(await retention.anonymiseOld(), 0, 'already anonymised, nothing said since');
    assert.deepEqual(await store.read('c1'), after);
    await store.close();
  });
});
