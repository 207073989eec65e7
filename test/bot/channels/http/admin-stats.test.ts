import assert from 'node:assert/strict';
import { dashboardStats } from '../../../../src/bot/channels/http/admin-stats.js';
import type { StoredEvent } from '../../../../src/bot/store/store.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (iso: string): string => new Date(iso).toISOString();
const asked = (when: string, text = '多久发货'): StoredEvent => ({ kind: 'message', at: at(when), from: 'customer', text });
const answered = (when: string, faqId: string): StoredEvent => ({ kind: 'decision', at: at(when), action: 'answer', faqId, handoffReason: null, confidence: 0.9 });
const handedOff = (when: string): StoredEvent => ({ kind: 'handoff', at: at(when), reason: 'requested', team: 'general', channel: '#cs', ticket: 'T1127-ABCDE', details: {} });
const agentSaid = (when: string): StoredEvent => ({ kind: 'message', at: at(when), from: 'agent', text: '您好', agent: '小林' });
const rated = (when: string, score: number): StoredEvent => ({ kind: 'rating', at: at(when), score, comment: null });

describe('the dashboard\'s numbers', () => {
  const conversations = new Map<string, readonly StoredEvent[]>([
    ['a', [asked('2026-11-27T01:00:00Z'), answered('2026-11-27T01:00:01Z', 'ship-time')]],
    ['b', [asked('2026-11-26T01:00:00Z'), answered('2026-11-26T01:00:01Z', 'ship-time'), asked('2026-11-26T01:01:00Z'), answered('2026-11-26T01:01:01Z', 'refund-time')]],
    ['c', [asked('2026-11-27T02:00:00Z', '转人工'), handedOff('2026-11-27T02:00:01Z'), agentSaid('2026-11-27T02:01:01Z'), rated('2026-11-27T02:10:00Z', 5)]],
    ['d', [asked('2026-11-27T03:00:00Z', '转人工'), handedOff('2026-11-27T03:00:00Z'), agentSaid('2026-11-27T03:03:00Z'), rated('2026-11-27T03:10:00Z', 2)]],
    // Before the window: counted nowhere.
    ['old', [asked('2026-10-01T01:00:00Z'), handedOff('2026-10-01T01:00:01Z'), rated('2026-10-01T01:10:00Z', 1)]],
    // The Slack outbox's own log has no customer in it.
    ['slack-outbox', [{ kind: 'agent', at: at('2026-11-27T02:00:00Z'), event: 'joined', agent: '小林' }]],
  ]);
  const stats = dashboardStats(conversations, NOW, 'Asia/Shanghai');

  it('counts the conversations of the last 14 days per day, in the service\'s time zone', () => {
    assert.equal(stats.days.length, 14);
    assert.deepEqual(stats.days.slice(-2), [{ day: '2026-11-26', count: 1 }, { day: '2026-11-27', count: 3 }]);
    assert.equal(stats.conversations, 4);
  });

  it('counts the conversations the bot handled alone, and handoffs by reason', () => {
    assert.equal(stats.answeredByBot, 2);
    assert.deepEqual(stats.handoffsByReason, [{ reason: 'requested', count: 2 }]);
  });

  it('takes the median time from a handoff to the agent\'s first message', () => {
    assert.equal(stats.answeredHandoffs, 2);
    assert.equal(stats.medianFirstResponseMs, 120_000);
  });

  it('counts ratings by score and the FAQs answered most', () => {
    assert.deepEqual(stats.ratings, [0, 1, 0, 0, 1]);
    assert.deepEqual(stats.topFaqs, [{ faqId: 'ship-time', count: 2 }, { faqId: 'refund-time', count: 1 }]);
  });
});
