import assert from 'node:assert/strict';
import { ScheduledCommitments } from '../../../src/bot/pipeline/commitments.js';
import { SessionBook } from '../../../src/bot/pipeline/sessions.js';
import type { Inbound } from '../../../src/bot/pipeline/turn-io.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store, StoredTask } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const T0 = new Date('2026-11-30T02:00:00Z');
const SESSION = 'AAAAAAAAAAAAAAAAAAAAAA';
const TASK: StoredTask = { id: 'task-1', due: T0.toISOString(), job: { kind: 'followup', sessionId: SESSION, ticket: 'T1127-AAAAA', team: 'complaints' } };

describe('promises kept for later', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
  });
  afterEach(() => store.close());
  after(() => cleanTempDirs());

  /** Calls the agents were told of, as [session, ticket, call]. */
  let told: [string, string, boolean][] = [];
  /** Call-back reminders the agents were given, as [session, ticket]. */
  let reminded: [string, string][] = [];
  beforeEach(() => {
    told = [];
    reminded = [];
  });

  function commitments(listening: boolean, received: Inbound[]): { commitments: ScheduledCommitments; sessions: SessionBook } {
    const sessions = new SessionBook(store);
    const agents = { followUpDue: async (id: string, ticket: string, call: boolean) => void told.push([id, ticket, call]), callBackDue: async (id: string, ticket: string) => void reminded.push([id, ticket]) };
    const f = new ScheduledCommitments({ store, sessions, now: () => T0, listening: async () => listening, receive: async (_id, input) => void received.push(input), agents, mail: null });
    return { commitments: f, sessions };
  }

  it('marks the conversation once, even when run again after a crash before the task was settled', async () => {
    const received: Inbound[] = [];
    const { commitments: f, sessions } = commitments(false, received);
    await f.run(TASK);
    await f.run(TASK);
    const marks = (await store.read(SESSION)).filter((e) => e.kind === 'followup');
    assert.deepEqual(marks.map((e) => e.op), ['due']);
    assert.deepEqual(received, [], 'nobody to ask now: it waits for their return');
    assert.deepEqual(told, [[SESSION, 'T1127-AAAAA', false]], 'the agents hear of it once, with no call to make');
    assert.deepEqual((await sessions.load(SESSION, 'zh')).followUp, { task: 'task-1', ticket: 'T1127-AAAAA', asked: false });
  });

  it('asks at once a customer who has the chat open, brings a session held in memory up to date, and tells the owner to call when contact details were left', async () => {
    const received: Inbound[] = [];
    await store.append(SESSION, { kind: 'handoff', at: T0.toISOString(), reason: 'complaint', team: 'complaints', channel: '#cs', ticket: 'T1127-AAAAA', details: { contact: '13812345678' } });
    const { commitments: f, sessions } = commitments(true, received);
    const session = await sessions.load(SESSION, 'zh');
    await f.run(TASK);
    assert.deepEqual(received, [{ kind: 'event', name: 'followup' }]);
    assert.equal(session.followUp?.task, 'task-1');
    assert.deepEqual(told, [[SESSION, 'T1127-AAAAA', true]], 'contact details left at intake: a call is due');
  });

  const CALLBACK: StoredTask = { ...TASK, id: 'task-2', job: { kind: 'callback', sessionId: SESSION, ticket: 'T1127-AAAAA', team: 'complaints' } };
  const leftMessage = (ticket: string) => ({ kind: 'handoff' as const, at: T0.toISOString(), reason: 'requested' as const, team: 'general', channel: '#cs', ticket, details: { what: 'where is my parcel' }, via: 'message' as const });

  it('reminds the team at opening time of a message left out of hours that nobody has taken', async () => {
    await store.append(SESSION, leftMessage('T1127-AAAAA'));
    const { commitments: c } = commitments(false, []);
    await c.run(CALLBACK);
    assert.deepEqual(reminded, [[SESSION, 'T1127-AAAAA']]);
  });

  it('says nothing when the message was taken, closed or replaced by a newer request before opening time', async () => {
    const { commitments: c } = commitments(false, []);
    await store.append(SESSION, leftMessage('T1127-AAAAA'));
    await store.append(SESSION, { kind: 'agent', at: T0.toISOString(), event: 'joined', agent: '小林' });
    await c.run(CALLBACK);
    const other = 'BBBBBBBBBBBBBBBBBBBBBB';
    await store.append(other, leftMessage('T1127-AAAAA'));
    await store.append(other, leftMessage('T1127-BBBBB'));
    await c.run({ ...CALLBACK, job: { kind: 'callback', sessionId: other, ticket: 'T1127-AAAAA', team: 'complaints' } });
    assert.deepEqual(reminded, []);
  });
});
