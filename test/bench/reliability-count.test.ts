/**
 * The reliability soak's tally (bench/reliability-count.ts): what counts as
 * lost, stored twice and never answered, on conversations built by hand.
 */
import assert from 'node:assert/strict';
import { tally } from '../../bench/reliability-count.js';
import type { StoredEvent } from '../../src/bot/store/store.js';

const at = '2026-12-06T08:00:00.000Z';
const customer = (id: string): StoredEvent => ({ kind: 'message', at, from: 'customer', text: `question ${id}`, id });
const bot: StoredEvent = { kind: 'message', at, from: 'bot', text: 'an answer' };
const handoff: StoredEvent = { kind: 'handoff', at, reason: 'requested', team: 'support', channel: 'web', ticket: 'T1', details: {} };

describe('the reliability soak\'s tally', () => {
  it('counts an acknowledged message missing from the conversation on disk as lost', () => {
    const result = tally([{ conversation: 'c1', acked: ['a', 'b', 'c'] }], new Map([['c1', [customer('a'), bot, customer('c'), bot]]]));
    assert.deepEqual(result, { acked: 3, lost: 1, twice: 0, unanswered: 0 });
  });

  it('counts a whole conversation missing from disk as lost', () => {
    assert.equal(tally([{ conversation: 'gone', acked: ['a', 'b'] }], new Map()).lost, 2);
  });

  it('counts a message stored twice', () => {
    assert.equal(tally([{ conversation: 'c1', acked: ['a'] }], new Map([['c1', [customer('a'), bot, customer('a'), bot]]])).twice, 1);
  });

  it('counts a question no reply follows as never answered; a greeting before it answers nothing', () => {
    const events = [bot, customer('a'), customer('b'), bot];
    assert.equal(tally([{ conversation: 'c1', acked: ['a', 'b'] }], new Map([['c1', events]])).unanswered, 1);
  });

  it('counts an answer that comes after the next question (a turn re-run after a restart) as answering the older one', () => {
    const events = [customer('a'), customer('b'), bot, bot];
    assert.equal(tally([{ conversation: 'c1', acked: ['a', 'b'] }], new Map([['c1', events]])).unanswered, 0);
  });

  it('does not count questions waiting for a person after a handoff', () => {
    const events = [customer('a'), handoff, bot, customer('b'), customer('c')];
    assert.equal(tally([{ conversation: 'c1', acked: ['a', 'b', 'c'] }], new Map([['c1', events]])).unanswered, 0);
  });

  it('counts only what was acknowledged: a message stored but never acked is neither lost nor unanswered', () => {
    const result = tally([{ conversation: 'c1', acked: ['a'] }], new Map([['c1', [customer('a'), bot, customer('x')]]]));
    assert.deepEqual(result, { acked: 1, lost: 0, twice: 0, unanswered: 0 });
  });
});
