/**
 * The Store contract: behaviour every Store implementation must show, as a
 * `describe` any implementation's test file runs with its own factory (the
 * lowdb store today, a PostgreSQL store next). A harness opens the same
 * storage again and again, as a restarting server does.
 */
import assert from 'node:assert/strict';
import { StoreError, type Store, type StoredEvent } from '../../../src/bot/store/store.js';

export interface StoreHarness {
  /** Opens the harness's storage (the same one every time). */
  open(): Promise<Store>;
  /** Where `text` is still written in the storage itself (files on disk, table rows), read around the store: empty when nowhere. */
  traces(text: string): Promise<string[]>;
}

const at = '2026-11-27T10:00:00.000Z';
export const message = (text: string, id?: string): StoredEvent => ({ kind: 'message', at, from: 'customer', text, ...(id ? { id } : {}) });
export const texts = (events: readonly StoredEvent[]): string[] => events.map((e) => (e.kind === 'message' ? e.text : `<${e.kind}>`));

export function describeStoreContract(name: string, fresh: () => StoreHarness): void {
  describe(`${name}: the Store contract`, () => {
    it('reads back what was appended, in order, and nothing for an unknown conversation', async () => {
      const store = await fresh().open();
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.append('c1', message(`m${i}`))));
      assert.deepEqual(texts(await store.read('c1')), Array.from({ length: 30 }, (_, i) => `m${i}`));
      assert.deepEqual(await store.read('never-seen'), []);
      await store.close();
    });

    it('keeps every event across a clean close and reopen, and appends after it', async () => {
      const harness = fresh();
      const first = await harness.open();
      await first.append('c1', message('before the restart'));
      await first.close();
      const second = await harness.open();
      await second.append('c1', message('after the restart'));
      await second.append('c2', message('a new conversation'));
      assert.deepEqual(texts(await second.read('c1')), ['before the restart', 'after the restart']);
      await second.close();
      const third = await harness.open();
      assert.deepEqual(texts(await third.read('c1')), ['before the restart', 'after the restart']);
      assert.deepEqual(texts(await third.read('c2')), ['a new conversation']);
      await third.close();
    });

    it('keeps appending after two reopens with no traffic between them', async () => {
      const harness = fresh();
      const first = await harness.open();
      for (let i = 0; i < 5; i++) await first.append('c1', message(`early ${i}`));
      await first.close();
      await (await harness.open()).close();
      await (await harness.open()).close();
      const fourth = await harness.open();
      for (let i = 0; i < 3; i++) await fourth.append('c1', message(`late ${i}`));
      await fourth.close();
      const fifth = await harness.open();
      assert.deepEqual(texts(await fifth.read('c1')), ['early 0', 'early 1', 'early 2', 'early 3', 'early 4', 'late 0', 'late 1', 'late 2']);
      await fifth.close();
    });

    it('lists every conversation, whether stored long ago or just appended', async () => {
      const harness = fresh();
      const first = await harness.open();
      await first.append('old', message('x'));
      await first.close();
      const second = await harness.open();
      await second.append('new', message('y'));
      assert.deepEqual([...(await second.conversations())].sort(), ['new', 'old']);
      await second.close();
    });

    it('lists the conversations active since a time: never leaves out one with an event at or after it, across a reopen', async () => {
      const harness = fresh();
      const first = await harness.open();
      const now = new Date();
      const said = (text: string, when: Date): StoredEvent => ({ kind: 'message', at: when.toISOString(), from: 'customer', text });
      await first.append('quiet', said('long ago', new Date('2026-01-01T00:00:00.000Z')));
      await first.append('busy', said('long ago', new Date('2026-01-01T00:00:00.000Z')));
      await first.append('busy', said('just now', now));
      await first.close();
      const second = await harness.open();
      await second.append('new', said('after the reopen', now));
      const active = await second.conversations({ activeSince: new Date(now.getTime() - 60_000) });
      assert.ok(active.includes('busy') && active.includes('new'), `listed: ${active.join(', ')}`);
      assert.deepEqual([...(await second.conversations())].sort(), ['busy', 'new', 'quiet']);
      await second.close();
    });

    it('lists unfinished conversations: turns not yet finished and handoffs not yet closed, across a reopen', async () => {
      const harness = fresh();
      const store = await harness.open();
      await store.append('answered', message('hello', 'm1'));
      await store.append('answered', { kind: 'turn', at, id: 'm1' });
      await store.append('waiting', message('where is my order', 'm2'));
      await store.append('handed', { kind: 'handoff', at: '2026-11-27T10:01:00.000Z', reason: 'requested', team: 'care', channel: 'C1', ticket: 'T-1', details: {} });
      await store.append('closed', { kind: 'handoff', at, reason: 'requested', team: 'care', channel: 'C1', ticket: 'T-2', details: {} });
      await store.append('closed', { kind: 'agent', at, event: 'resolved', agent: 'Ann' });
      const expected = [
        { id: 'handed', handoffAt: '2026-11-27T10:01:00.000Z', pendingTurns: [] },
        { id: 'waiting', handoffAt: null, pendingTurns: ['m2'] },
      ];
      const sorted = (list: readonly { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(sorted(await store.unfinished()), expected);
      await store.close();
      const again = await harness.open();
      assert.deepEqual(sorted(await again.unfinished()), expected);
      await again.append('waiting', { kind: 'turn', at, id: 'm2' });
      assert.deepEqual(sorted(await again.unfinished()), expected.slice(0, 1));
      await again.close();
    });

    it('numbers each conversation\'s messages 1, 2, 3 as it appends them, whatever number the caller set, across a reopen', async () => {
      const harness = fresh();
      const store = await harness.open();
      const numbers = await Promise.all([
        store.append('c1', message('one')),
        store.append('c1', { kind: 'turn', at, id: 'x' }),
        store.append('c1', { kind: 'message', at, from: 'bot', text: 'two', seq: 99 }),
        store.append('c2', message('elsewhere')),
        store.append('c1', message('three')),
      ]);
      assert.deepEqual(numbers, [1, 1, 2, 1, 3], 'a non-message event returns the last message number');
      await store.close();
      const again = await harness.open();
      assert.equal(await again.append('c1', message('four')), 4);
      const seqs = (await again.read('c1')).map((e) => (e.kind === 'message' ? e.seq : null));
      assert.deepEqual(seqs, [1, null, 2, 3, 4]);
      await again.close();
    });

    it('appends with an expected number only while it is still the last one, and stores nothing otherwise', async () => {
      const store = await fresh().open();
      assert.equal(await store.append('c1', message('first'), { expectedSeq: 0 }), 1);
      assert.equal(await store.append('c1', message('second'), { expectedSeq: 1 }), 2);
      await assert.rejects(store.append('c1', message('stale'), { expectedSeq: 1 }), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CONFLICT');
      const racing = await Promise.allSettled([store.append('c1', message('a'), { expectedSeq: 2 }), store.append('c1', message('b'), { expectedSeq: 2 })]);
      assert.deepEqual(
        racing.map((r) => r.status),
        ['fulfilled', 'rejected'],
        'of two appends expecting the same number, one wins',
      );
      assert.deepEqual(texts(await store.read('c1')), ['first', 'second', 'a']);
      await store.close();
    });

    it('redacts a conversation in place: the old text gone from storage, kinds and message numbers kept, appends going on after it', async () => {
      const harness = fresh();
      const store = await harness.open();
      await store.append('forget-me', message('my phone is 13912345678', 'w1'));
      await store.append('forget-me', { kind: 'rating', at, score: 4, comment: 'call 13912345678' });
      await store.append('keep-me', message('13912345678 is my friend'));
      await store.append('forget-me', message('and a second line'));
      assert.notDeepEqual(await harness.traces('second line'), [], 'the storage held it');
      const changed = await store.redact('forget-me', (e) => (e.kind === 'message' ? { ...e, text: '[removed]', seq: 99 } : e.kind === 'rating' ? { ...e, comment: null } : e));
      assert.equal(changed, 3);
      const after = await store.read('forget-me');
      assert.deepEqual(texts(after), ['[removed]', '<rating>', '[removed]']);
      assert.deepEqual(
        after.map((e) => (e.kind === 'message' ? e.seq : e.kind === 'rating' ? e.score : null)),
        [1, 4, 2],
        'numbers are the store’s, whatever the change set; the score stays',
      );
      assert.equal(await store.append('forget-me', message('after')), 3);
      assert.deepEqual(texts(await store.read('keep-me')), ['13912345678 is my friend'], 'other conversations untouched');
      await store.close();
      const traces = await harness.traces('second line');
      assert.deepEqual(traces, [], `the old text is still in ${traces.join(', ')}`);
      const reopened = await harness.open();
      assert.deepEqual(texts(await reopened.read('forget-me')), ['[removed]', '<rating>', '[removed]', 'after']);
      assert.equal(await reopened.redact('forget-me', (e) => e), 0, 'nothing changed, nothing rewritten');
      await reopened.close();
    });

    it('keeps every append made while a redaction runs, numbered on from before it', async () => {
      const store = await fresh().open();
      for (let i = 0; i < 20; i++) await store.append('busy', message(`before ${i}`));
      const during = Array.from({ length: 20 }, (_, i) => store.append('busy', message(`during ${i}`)));
      const redaction = store.redact('busy', (e) => (e.kind === 'message' && e.text.startsWith('before') ? { ...e, text: '[removed]' } : e));
      const numbers = await Promise.all(during);
      assert.equal(await redaction, 20, 'every message appended before the call');
      const events = await store.read('busy');
      assert.deepEqual(texts(events).filter((t) => t.startsWith('during')).sort(), Array.from({ length: 20 }, (_, i) => `during ${i}`).sort());
      assert.equal(texts(events).filter((t) => t === '[removed]').length, 20);
      assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => 21 + i));
      await store.close();
    });

    it('refuses a redaction that changes an event’s kind, rewriting nothing', async () => {
      const store = await fresh().open();
      await store.append('c1', message('hello'));
      await store.append('c1', { kind: 'rating', at, score: 5, comment: null });
      await assert.rejects(
        store.redact('c1', (e) => (e.kind === 'rating' ? message('not a rating') : { ...e, text: 'x' } as StoredEvent)),
        (e: unknown) => e instanceof StoreError && e.code === 'STORE_BAD_CHANGE',
      );
      assert.deepEqual(texts(await store.read('c1')), ['hello', '<rating>']);
      await assert.rejects(store.redact('../etc', (e) => e), (e: unknown) => e instanceof StoreError && e.code === 'STORE_BAD_ID');
      await store.close();
    });

    it('is healthy when nothing went wrong', async () => {
      const store = await fresh().open();
      await store.append('c1', message('x'));
      assert.deepEqual(store.health(), { status: 'ok', problems: [], quarantined: 0, failedFolds: 0 });
      await store.close();
    });

    it('refuses ids that could reach outside the store, and any use after close', async () => {
      const store = await fresh().open();
      for (const id of ['../etc/passwd', 'a/b', '', 'x'.repeat(65), 'con\u0000', '..']) {
        await assert.rejects(store.append(id, message('x')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_BAD_ID', id);
      }
      await store.close();
      await assert.rejects(store.append('a', message('late')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED');
    });
  });
}
