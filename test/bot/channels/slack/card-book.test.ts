import assert from 'node:assert/strict';
import { applyPatch, CardBook, patchOf } from '../../../../src/bot/channels/slack/card-book.js';
import type { HandoffCard } from '../../../../src/bot/channels/slack/handoff-card.js';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../../helpers/temp-kb.js';

const NOW = new Date('2026-11-27T08:00:00.000Z');
const DAY = 24 * 3600_000;

function card(sessionId: string, over: Partial<HandoffCard> = {}): HandoffCard {
  return {
    sessionId,
    ticket: `T-${sessionId}`,
    customer: null,
    lang: 'zh',
    category: null,
    emotion: { level: 'calm', cues: [] },
    reason: 'requested',
    summary: '',
    handedOffAt: NOW.toISOString(),
    dueBy: new Date(NOW.getTime() + 60_000).toISOString(),
    suggestions: [],
    suggestedReply: '',
    escalation: { team: 'logistics', teamName: '物流服务组', channel: '#cs-logistics', supervisor: { name: '王敏', slack: 'U01LOGISTIC' }, sla: { firstResponse: '1m', resolution: '24h' }, urgent: false, causes: [], followUp: '72h' },
    state: 'waiting',
    owner: null,
    ...over,
  };
}

const claimed = (c: HandoffCard): HandoffCard => ({ ...c, state: 'claimed', owner: 'U1' });

describe('the handoff cards (card book)', () => {
  const stores: Store[] = [];
  const open = async (dir = tempDir()): Promise<Store> => {
    const store = await openLowdbStore(dir);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  after(cleanTempDirs);

  it('stores a change as the fields it set and removed, null being a value, and folds it back', () => {
    const before = card('s1', { held: { user: 'U1', text: 'hm' } });
    const after = { ...before, owner: null, state: 'claimed' as const, held: undefined, rating: 4 };
    const patch = patchOf(before, after);
    assert.deepEqual(patch, { set: { state: 'claimed', rating: 4 }, removed: ['held'] });
    const { held: _held, ...rest } = before;
    assert.deepEqual(applyPatch(before, patch), { ...rest, state: 'claimed', rating: 4 });
    assert.deepEqual(patchOf(before, { ...before, owner: null }), { set: {}, removed: [] }, 'no change, nothing to store');
  });

  it('alone: keeps cards in memory, stores each change, and reads the same cards back after a restart', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const book = await CardBook.open(store, { refresh: false, now: () => NOW });
    await book.add(card('s1'));
    await book.change('s1', (c) => ({ ...c, liveSuggestion: '您好' }));
    await book.change('s1', claimed);
    assert.equal(await book.change('s1', () => null), null, 'a change that no longer applies stores nothing');
    assert.equal(await book.change('nobody', claimed), null);
    assert.equal((await store.read('slack-card-s1')).length, 3, 'the card, then two patches');
    await store.close();
    stores.splice(0);

    const again = await CardBook.open(await open(dir), { refresh: false, now: () => NOW });
    assert.deepEqual(await again.get('s1'), { ...card('s1'), liveSuggestion: '您好', state: 'claimed', owner: 'U1' });
    assert.deepEqual((await again.list(0)).map((c) => c.sessionId), ['s1']);
  });

  it('alone: two changes started together see each other, so two claims cannot both win', async () => {
    const book = await CardBook.open(await open(), { refresh: false, now: () => NOW });
    await book.add(card('s1'));
    const claimFor = (user: string) => (c: HandoffCard) => (c.state === 'waiting' ? { ...c, state: 'claimed' as const, owner: user } : null);
    const [first, second] = await Promise.all([book.change('s1', claimFor('U1')), book.change('s1', claimFor('U2'))]);
    assert.equal(first?.owner, 'U1');
    assert.equal(second, null);
  });

  it('shared: a card one instance made and changed is read by another, and changes to different fields made at once both stand', async () => {
    const store = await open();
    const a = await CardBook.open(store, { refresh: true, now: () => NOW });
    const b = await CardBook.open(store, { refresh: true, now: () => NOW });
    await a.add(card('s1'));
    assert.equal((await b.get('s1'))?.ticket, 'T-s1');
    await Promise.all([a.change('s1', (c) => ({ ...c, liveSuggestion: '您好' })), b.change('s1', claimed)]);
    const seen = await a.get('s1');
    assert.equal(seen?.liveSuggestion, '您好');
    assert.equal(seen?.state, 'claimed');
    assert.equal(seen?.owner, 'U1');
    assert.equal(await b.get('no such/session'), null, 'an id the store refuses is no card');
  });

  it('keeps the cards of the legacy slack-cards log, and changes made to them since', async () => {
    const store = await open();
    await store.append('slack-cards', { kind: 'card', at: NOW.toISOString(), sessionId: 'old', card: { ...card('old') } });
    await store.append('slack-cards', { kind: 'card', at: NOW.toISOString(), sessionId: 'gone', card: { ...card('gone', { state: 'resolved', handedOffAt: new Date(NOW.getTime() - 3 * DAY).toISOString() }) } });
    const first = await CardBook.open(store, { refresh: true, now: () => NOW });
    await first.change('old', claimed);
    for (const refresh of [false, true]) {
      const book = await CardBook.open(store, { refresh, now: () => NOW });
      assert.equal((await book.get('old'))?.owner, 'U1', `refresh ${refresh}`);
      assert.deepEqual((await book.list(0)).map((c) => c.sessionId), ['old'], 'a card closed days ago is not kept');
    }
  });

  it('lists the open handoffs of any day and the cards of the last day, not those closed before', async () => {
    const store = await open();
    const writer = await CardBook.open(store, { refresh: true, now: () => new Date(NOW.getTime() - 5 * DAY) });
    await writer.add(card('weekOld', { handedOffAt: new Date(NOW.getTime() - 5 * DAY).toISOString() }));
    await writer.add(card('weekOldClosed', { handedOffAt: new Date(NOW.getTime() - 5 * DAY).toISOString(), state: 'resolved' }));
    await store.append('weekOld', { kind: 'handoff', at: new Date(NOW.getTime() - 5 * DAY).toISOString(), reason: 'requested', team: 'logistics', channel: '#cs-logistics', ticket: 'T-weekOld', details: {} });
    const today = await CardBook.open(store, { refresh: true, now: () => NOW });
    await today.add(card('fresh'));
    await today.add(card('yesterdayResolved', { handedOffAt: new Date(NOW.getTime() - 20 * 3600_000).toISOString(), state: 'resolved' }));
    const listed = (await today.list(0)).map((c) => c.sessionId).sort();
    assert.deepEqual(listed, ['fresh', 'weekOld', 'yesterdayResolved']);
  });
});
