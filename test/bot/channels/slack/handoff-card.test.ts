import assert from 'node:assert/strict';
import { nextHandoff } from '../../../../src/bot/core/handoff.js';
import { cardHandoff, type HandoffCard } from '../../../../src/bot/channels/slack/handoff-card.js';

function card(over: Partial<HandoffCard> = {}): HandoffCard {
  return {
    sessionId: 's-7f3a9c',
    ticket: 'T1127-7K3QD',
    customer: null,
    lang: 'zh',
    category: null,
    emotion: { level: 'calm', cues: [] },
    reason: 'requested',
    summary: '',
    handedOffAt: '2026-11-27T08:00:00.000Z',
    dueBy: '2026-11-27T08:01:00.000Z',
    suggestions: [],
    suggestedReply: '',
    escalation: {
      team: 'logistics',
      teamName: '物流服务组',
      channel: '#cs-logistics',
      supervisor: { name: '王敏', slack: 'U01LOGISTIC' },
      sla: { firstResponse: '1m', resolution: '24h' },
      urgent: false,
      causes: [],
      followUp: '72h',
    },
    state: 'waiting',
    owner: null,
    ...over,
  };
}

const claim = (c: HandoffCard, user: string): string => {
  const step = nextHandoff(cardHandoff(c), { kind: 'joined', agent: user });
  return step.ok ? 'claimed' : step.why;
};

describe('a Slack handoff card as a handoff state', () => {
  it('reads a waiting card as queued, or as a message left, with its ticket, team and time', () => {
    const handoff = { reason: 'requested', team: 'logistics', channel: '#cs-logistics', ticket: 'T1127-7K3QD', at: '2026-11-27T08:00:00.000Z' };
    assert.deepEqual(cardHandoff(card()), { kind: 'queued', handoff });
    assert.deepEqual(cardHandoff(card({ via: 'message' })), { kind: 'message', handoff });
    assert.deepEqual(cardHandoff(card({ state: 'claimed', owner: 'U1' })), { kind: 'agent', handoff, agent: 'U1', away: false });
  });

  it('lets the first agent claim a waiting card', () => {
    assert.equal(claim(card(), 'U1'), 'claimed');
    assert.equal(claim(card({ via: 'message' }), 'U1'), 'claimed');
  });

  it("refuses a second agent's claim on a card another agent holds, and the holder's second press", () => {
    assert.equal(claim(card({ state: 'claimed', owner: 'U1' }), 'U2'), 'already_claimed');
    assert.equal(claim(card({ state: 'claimed', owner: 'U1' }), 'U1'), 'already_claimed');
  });

  it('refuses a claim on a card that is closed: returned, resolved, or withdrawn by the customer before anyone claimed it', () => {
    assert.equal(claim(card({ state: 'returned', owner: 'U1' }), 'U2'), 'not_open');
    assert.equal(claim(card({ state: 'resolved', owner: 'U1' }), 'U2'), 'not_open');
    assert.equal(claim(card({ state: 'withdrawn' }), 'U2'), 'not_open');
  });
});
