import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dashboardStats } from '../../../src/bot/channels/http/admin-stats.js';
import { FORGOTTEN_NOTE, forgetInSlack } from '../../../src/bot/channels/slack/forget-posts.js';
import { OutboxLog } from '../../../src/bot/channels/slack/outbox-log.js';
import { SlackOutbox, type SlackCaller } from '../../../src/bot/channels/slack/outbox.js';
import { REMOVED } from '../../../src/bot/core/anonymise.js';
import { parseCustomerKey } from '../../../src/bot/core/customer-key.js';
import { createLogger } from '../../../src/bot/log.js';
import { exportCustomer } from '../../../src/bot/pipeline/customer-export.js';
import { forgetCustomer, type ForgetDeps } from '../../../src/bot/pipeline/forget.js';
import { PRIVACY_AUDIT_LOG } from '../../../src/bot/pipeline/privacy-audit.js';
import { Scheduler } from '../../../src/bot/pipeline/scheduler.js';
import type { FileStore } from '../../../src/bot/store/file-store.js';
import { FsFileStore } from '../../../src/bot/store/fs-file-store.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { openPgFileStore } from '../../../src/bot/store/pg-file-store.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import { readConversations, type Store, type StoredEvent, type StoredFile } from '../../../src/bot/store/store.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';
import { filesHolding, rowsHolding } from '../../helpers/traces.js';

const T0 = new Date('2026-11-20T02:00:00.000Z');
const at = (minutes: number): string => new Date(T0.getTime() + minutes * 60_000).toISOString();
const quiet = createLogger('error', () => undefined);
const PHONE_TYPED = '１３９ １２３４ ５６７８';
const FREE_TEXT = 'my parcel to Grandma Li never came';
const EMAIL = 'li.na@example.com';
const OTHER = 'some other customer asking about returns';
const FILE_BYTES = 'PHOTO-OF-THE-PARCEL-LABEL';

/** One customer's conversation with everything personal in it: messages, contact, a handoff with details, a file, a rating, a mail. */
function customerEvents(file: StoredFile): StoredEvent[] {
  return [
    { kind: 'session', at: at(0), lang: 'en', customerId: 'shop-user-42', name: 'Li Na' },
    { kind: 'message', at: at(0), from: 'customer', text: FREE_TEXT, id: 'w1' },
    { kind: 'decision', at: at(0), action: 'handoff', faqId: null, handoffReason: 'complaint', confidence: 0.9 },
    { kind: 'message', at: at(1), from: 'customer', text: `call me on ${PHONE_TYPED}`, id: 'w2', contact: PHONE_TYPED },
    { kind: 'handoff', at: at(1), reason: 'complaint', team: 'complaints', channel: '#cs', ticket: 'T1120-AAAAA', details: { contact: PHONE_TYPED, what: FREE_TEXT } },
    { kind: 'agent', at: at(3), event: 'joined', agent: 'Xiao Lin' },
    { kind: 'message', at: at(4), from: 'agent', text: 'Hello Li Na, I am looking into it', agent: 'Xiao Lin' },
    { kind: 'message', at: at(5), from: 'customer', text: '', id: 'w3', file },
    { kind: 'rating', at: at(9), score: 2, comment: `still waiting, ${EMAIL}` },
    { kind: 'mail', at: at(10), task: 'task-x', what: 'transcript', to: 'l***@example.com', upTo: 3 },
  ];
}

interface Setup {
  readonly store: Store;
  readonly files: FileStore;
  /** Where a text is still written, read around Tact. */
  traces(text: string): Promise<string[]>;
}

const setups: Record<string, () => Promise<Setup>> = {
  'the data directory': async () => {
    const dir = tempDir();
    return { store: await openLowdbStore(dir), files: new FsFileStore(dir), traces: async (t) => filesHolding(dir, t) };
  },
  PostgreSQL: async () => {
    const url = await createTestDatabase();
    return { store: track(await openPgStore(url)), files: track(await openPgFileStore(url)), traces: (t) => rowsHolding(url, t) };
  },
};

for (const [name, open] of Object.entries(setups)) {
  describe(`forgetting and exporting a customer, in ${name}`, function () {
    this.timeout(60_000);
    after(async () => {
      cleanTempDirs();
      await cleanTestDatabases();
    });

    async function seeded(): Promise<Setup & { scheduler: Scheduler; deps: ForgetDeps; slackEdits: string[]; session: string }> {
      const s = await open();
      const session = `s${randomBytes(8).toString('hex')}`;
      const file: StoredFile = { id: randomBytes(16).toString('base64url'), kind: 'image', mime: 'image/jpeg', name: 'label-Li-Na.jpg', size: 25, width: 10, height: 10, at: at(5), from: 'customer' };
      for (const e of customerEvents(file)) await s.store.append(session, e);
      await s.files.put(session, file, Buffer.from(FILE_BYTES), Buffer.from(`${FILE_BYTES}-thumb`));
      await s.store.append('other-one', { kind: 'message', at: at(2), from: 'customer', text: OTHER, id: 'o1' });
      await s.store.append('other-one', { kind: 'rating', at: at(3), score: 5, comment: null });
      const scheduler = new Scheduler({ store: s.store, run: async () => undefined, now: () => T0, log: quiet });
      await scheduler.start(0);
      await scheduler.schedule({ kind: 'mail', sessionId: session, what: 'replies' }, new Date(T0.getTime() + 3600_000));
      await scheduler.schedule({ kind: 'mail', sessionId: 'other-one', what: 'replies' }, new Date(T0.getTime() + 3600_000));
      // What Slack's side stored: the card, the relayed message, and where the card was posted.
      await s.store.append(`slack-card-${session}`, { kind: 'card', at: at(1), sessionId: session, card: { sessionId: session, ticket: 'T1120-AAAAA', customer: 'Li Na', summary: FREE_TEXT, state: 'waiting' } });
      await s.store.append(`slack-card-${session}`, { kind: 'outbox', at: at(1), op: 'post', key: session, post: { channel: 'C0CS', ts: '1700000000.000100' } });
      const relayed = await new OutboxLog(s.store, () => T0.getTime()).add({ id: 'call-1', method: 'chat.postMessage', channel: '#cs', args: { text: `customer: ${FREE_TEXT}` }, threadOf: session });
      await s.store.append(relayed.segment, { kind: 'outbox', at: at(1), op: 'done', id: 'call-1', rememberAs: null, post: { channel: 'C0CS', ts: '1700000000.000150' } });
      await new OutboxLog(s.store, () => T0.getTime()).add({ id: 'call-2', method: 'chat.postMessage', channel: '#cs', args: { text: `customer again: ${FREE_TEXT}` }, threadOf: session });
      const slackEdits: string[] = [];
      const outbox = new OutboxLog(s.store, () => T0.getTime());
      const deps: ForgetDeps = {
        store: s.store,
        files: s.files,
        tasks: scheduler,
        now: () => new Date(T0.getTime() + 86_400_000),
        log: quiet,
        elsewhere: [async (ids, why) => void (await forgetInSlack(s.store, ids, why, async (call) => void slackEdits.push((await outbox.add({ ...call, id: `edit-${slackEdits.length}` })).method)))],
      };
      return { ...s, scheduler, deps, slackEdits, session };
    }

    it('forgets a customer by a phone typed with spaces and full-width digits: no byte of it, their words or their file is left, and the counts stay', async () => {
      const s = await seeded();
      const before = dashboardStats(await readConversations(s.store), new Date(T0.getTime() + 3600_000), 'Asia/Shanghai');
      for (const text of [PHONE_TYPED, FREE_TEXT, EMAIL, FILE_BYTES]) assert.notDeepEqual(await s.traces(text), [], `${text} was stored`);

      const done = await forgetCustomer(s.deps, parseCustomerKey('+86 139-1234-5678'), 'ops@shop');

      assert.deepEqual(done, { conversations: 1, files: 1, tasks: 1 });
      for (const text of [PHONE_TYPED, FREE_TEXT, EMAIL, 'Li Na', 'shop-user-42', FILE_BYTES, 'label-Li-Na']) assert.deepEqual(await s.traces(text), [], `${text} is still in ${(await s.traces(text)).join(', ')}`);
      const events = await s.store.read(s.session);
      assert.ok(events.filter((e) => e.kind === 'message').every((e) => e.text === REMOVED || e.text === ''));
      assert.equal(await s.files.read(s.session, (events.find((e) => e.kind === 'message' && e.file) as { file: StoredFile }).file.id, 'file'), null);
      assert.deepEqual(dashboardStats(await readConversations(s.store), new Date(T0.getTime() + 3600_000), 'Asia/Shanghai'), before, 'conversations, handoffs, ratings and response times add up as before');
      assert.deepEqual(await s.store.read('other-one').then((es) => es.map((e) => (e.kind === 'message' ? e.text : e.kind))), [OTHER, 'rating'], 'another customer is untouched');
      assert.deepEqual(s.scheduler.pending().map((t) => ('sessionId' in t.job ? t.job.sessionId : '')), ['other-one'], "the customer's pending e-mail is cancelled, the other's kept");
      assert.deepEqual(s.slackEdits, ['chat.update', 'chat.update'], 'the message relayed into the thread and the card posted in Slack are edited');
      const audit = await s.store.read(PRIVACY_AUDIT_LOG);
      assert.deepEqual(audit.map((e) => (e.kind === 'privacy' && e.op === 'audit' ? [e.action, e.by, e.conversations, e.files] : null)), [['forget', 'ops@shop', 1, 1]]);
      const auditText = JSON.stringify(audit);
      for (const pii of ['139', '5678', 'example.com', s.session, 'shop-user-42']) assert.ok(!auditText.includes(pii), `the audit holds ${pii}`);
      await s.files.close();
      await s.store.close();
    });

    it('sends the edits of the card and the thread to Slack through the outbox, and never the forgotten text', async () => {
      const s = await seeded();
      await forgetCustomer(s.deps, parseCustomerKey(EMAIL.toUpperCase().replace('@', '＠')), 'ops');
      const calls: { method: string; args: Record<string, unknown> }[] = [];
      const caller: SlackCaller = async (method, args) => {
        calls.push({ method, args });
        return { ts: '1700000000.000200', channel: 'C0CS' };
      };
      const outbox = await SlackOutbox.open(s.store, caller, quiet, 0, { clock: () => T0.getTime() });
      const deadline = Date.now() + 10_000;
      while (calls.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await outbox.stop();
      const updates = calls.filter((c) => c.method === 'chat.update').map((c) => c.args);
      assert.deepEqual(
        updates.sort((a, b) => String(a['ts']).localeCompare(String(b['ts']))),
        ['1700000000.000100', '1700000000.000150'].map((ts) => ({ ts, text: FORGOTTEN_NOTE, blocks: [], channel: 'C0CS' })),
      );
      assert.equal(calls.filter((c) => c.method === 'chat.postMessage').length, 1, 'the message not yet sent goes, without its text');
      assert.ok(!JSON.stringify(calls).includes(FREE_TEXT));
      await s.files.close();
      await s.store.close();
    });

    it('exports everything held about the customer: what they said, their ticket, survey answer, e-mails and files', async () => {
      const s = await seeded();
      const data = await exportCustomer(s.store, s.files, parseCustomerKey('shop-user-42'), T0, true);
      assert.equal(data.conversations.length, 1);
      const c = data.conversations[0];
      assert.ok(c);
      assert.deepEqual(c.messages.filter((m) => m.from === 'customer').map((m) => m.text), [FREE_TEXT, `call me on ${PHONE_TYPED}`, '']);
      assert.deepEqual(c.tickets.map((t) => [t.ticket, t.details['what']]), [['T1120-AAAAA', FREE_TEXT]]);
      assert.deepEqual(c.survey, [{ at: at(9), score: 2, comment: `still waiting, ${EMAIL}` }]);
      assert.deepEqual(c.emails, [{ at: at(10), what: 'transcript', to: 'l***@example.com' }]);
      assert.equal(Buffer.from(c.files[0]?.base64 ?? '', 'base64').toString(), FILE_BYTES);
      assert.equal(data.lookedUpBy, 'id');
      assert.deepEqual((await exportCustomer(s.store, s.files, parseCustomerKey('nobody@example.com'), T0, false)).conversations, []);
      await s.files.close();
      await s.store.close();
    });
  });
}
