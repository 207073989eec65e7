import assert from 'node:assert/strict';
import {
  BOT,
  fromStored,
  isOpen,
  nextHandoff,
  nextOpenedAt,
  openHandoff,
  replay,
  replayStep,
  statusOf,
  type HandoffEvent,
  type HandoffInfo,
  type HandoffState,
} from '../../../src/bot/core/handoff.js';
import type { AgentEventKind, StoredEvent } from '../../../src/bot/store/store.js';
import { mulberry32 } from '../../../src/intents/softmax.js';

const AT = '2026-11-27T02:00:00.000Z';
const INFO: HandoffInfo = { reason: 'requested', team: 'general', channel: '#cs', ticket: 'T1127-AAAAA', at: AT };
const LATER: HandoffInfo = { ...INFO, ticket: 'T1127-BBBBB', at: '2026-11-27T03:00:00.000Z' };

const queued: HandoffState = { kind: 'queued', handoff: INFO };
const message: HandoffState = { kind: 'message', handoff: INFO };
const withAlice: HandoffState = { kind: 'agent', handoff: INFO, agent: 'Alice', away: false };
const aliceAway: HandoffState = { kind: 'agent', handoff: INFO, agent: 'Alice', away: true };

const agent = (kind: AgentEventKind, name = 'Alice'): HandoffEvent => ({ kind, agent: name });
const toQueue: HandoffEvent = { kind: 'handed_off', via: 'queue', handoff: LATER };
const toMessage: HandoffEvent = { kind: 'handed_off', via: 'message', handoff: LATER };
const cancelled: HandoffEvent = { kind: 'withdrawn', why: 'cancelled' };

function accepted(state: HandoffState, event: HandoffEvent): HandoffState {
  const step = nextHandoff(state, event);
  assert.ok(step.ok, `refused: ${step.ok ? '' : step.why}`);
  return step.state;
}

function refused(state: HandoffState, event: HandoffEvent): string {
  const step = nextHandoff(state, event);
  assert.ok(!step.ok, `accepted: ${JSON.stringify(step.ok && step.state)}`);
  return step.why;
}

describe('the handoff state machine', () => {
  describe('handing off', () => {
    it('queues a customer the bot was serving, or files their message for the team', () => {
      assert.deepEqual(accepted(BOT, toQueue), { kind: 'queued', handoff: LATER });
      assert.deepEqual(accepted(BOT, toMessage), { kind: 'message', handoff: LATER });
    });

    it('replaces an open handoff: a waiting customer who leaves a message, or asks for a live chat after leaving one', () => {
      assert.deepEqual(accepted(queued, toMessage), { kind: 'message', handoff: LATER });
      assert.deepEqual(accepted(message, toQueue), { kind: 'queued', handoff: LATER });
      assert.deepEqual(accepted(withAlice, toQueue), { kind: 'queued', handoff: LATER });
    });
  });

  describe('the customer withdrawing', () => {
    it('gives the conversation back to the bot while nobody has joined', () => {
      assert.deepEqual(accepted(queued, cancelled), BOT);
      assert.deepEqual(accepted(message, { kind: 'withdrawn', why: 'ended' }), BOT);
    });

    it('is refused when nothing is handed off', () => {
      assert.equal(refused(BOT, cancelled), 'not_open');
    });

    it('is refused once an agent has the chat: the agent returns or resolves it', () => {
      assert.equal(refused(withAlice, cancelled), 'already_claimed');
    });
  });

  describe('an agent joining', () => {
    it('takes a waiting customer, or a message left for the team', () => {
      assert.deepEqual(accepted(queued, agent('joined')), withAlice);
      assert.deepEqual(accepted(message, agent('joined')), withAlice);
    });

    it('refuses a second agent’s claim on a conversation another agent holds', () => {
      assert.equal(refused(withAlice, agent('joined', 'Bob')), 'already_claimed');
      assert.equal(refused(aliceAway, agent('joined', 'Bob')), 'already_claimed');
    });

    it('refuses the same agent joining twice, so the customer is not told twice', () => {
      assert.equal(refused(withAlice, agent('joined')), 'already_claimed');
    });

    it('refuses a conversation that is back with the bot', () => {
      assert.equal(refused(BOT, agent('joined')), 'not_open');
    });
  });

  describe('stepping away and coming back', () => {
    it('lets the agent who has the chat step away and come back', () => {
      assert.deepEqual(accepted(withAlice, agent('away')), aliceAway);
      assert.deepEqual(accepted(aliceAway, agent('back')), withAlice);
    });

    it('refuses another agent stepping away or coming back for them', () => {
      assert.equal(refused(withAlice, agent('away', 'Bob')), 'not_holder');
      assert.equal(refused(aliceAway, agent('back', 'Bob')), 'not_holder');
    });

    it('refuses stepping away twice, and coming back without having stepped away', () => {
      assert.equal(refused(aliceAway, agent('away')), 'already_away');
      assert.equal(refused(withAlice, agent('back')), 'not_away');
    });

    it('refuses both before any agent joined, and when nothing is handed off', () => {
      for (const state of [queued, message]) {
        assert.equal(refused(state, agent('away')), 'not_claimed');
        assert.equal(refused(state, agent('back')), 'not_claimed');
      }
      assert.equal(refused(BOT, agent('away')), 'not_open');
      assert.equal(refused(BOT, agent('back')), 'not_open');
    });
  });

  describe('returning to the bot and resolving', () => {
    it('closes a handoff whoever has it, claimed or not: a supervisor may close another’s case, a message is often resolved by phone', () => {
      for (const state of [queued, message, withAlice, aliceAway]) {
        assert.deepEqual(accepted(state, agent('returned', 'Bob')), BOT);
        assert.deepEqual(accepted(state, agent('resolved', 'Bob')), BOT);
      }
    });

    it('refuses closing what is not open, so a second press tells the customer nothing twice', () => {
      assert.equal(refused(BOT, agent('returned')), 'not_open');
      assert.equal(refused(BOT, agent('resolved')), 'not_open');
    });
  });

  describe('what surfaces read from a state', () => {
    it('says the widget status, whether a person has it, and the open ticket', () => {
      assert.deepEqual(
        [BOT, queued, message, aliceAway].map((s) => [statusOf(s), isOpen(s), openHandoff(s)?.ticket ?? null]),
        [
          ['bot', false, null],
          ['queued', true, INFO.ticket],
          ['message', true, INFO.ticket],
          ['agent', true, INFO.ticket],
        ],
      );
    });
  });

  describe('replaying stored history', () => {
    const handoff: StoredEvent = { kind: 'handoff', at: AT, reason: 'requested', team: 'general', channel: '#cs', ticket: INFO.ticket, details: { order: '1' } };
    const stored = (event: AgentEventKind, name = 'Alice'): StoredEvent => ({ kind: 'agent', at: AT, event, agent: name });

    it('reads handoff moves from stored events and skips everything else', () => {
      assert.deepEqual(fromStored(handoff), { kind: 'handed_off', via: 'queue', handoff: INFO });
      assert.deepEqual(fromStored({ ...handoff, via: 'message' }), { kind: 'handed_off', via: 'message', handoff: INFO });
      assert.deepEqual(fromStored({ kind: 'withdrawn', at: AT, why: 'ended' }), { kind: 'withdrawn', why: 'ended' });
      assert.deepEqual(fromStored(stored('back')), agent('back'));
      assert.equal(fromStored({ kind: 'message', at: AT, from: 'customer', text: 'hi' }), null);
      assert.equal(fromStored({ kind: 'turn', at: AT, id: 'w1' }), null);
    });

    it('rebuilds a conversation from its events', () => {
      assert.deepEqual(replay([]), BOT);
      assert.deepEqual(replay([handoff, stored('joined'), stored('away')]), aliceAway);
      assert.deepEqual(replay([handoff, stored('joined'), stored('resolved')]), BOT);
    });

    it('accepts what older versions stored and live rules now refuse, as they replayed it then', () => {
      assert.deepEqual(replay([handoff, stored('joined'), stored('joined', 'Bob')]), { ...withAlice, agent: 'Bob' }, 'a second agent took over');
      assert.deepEqual(replay([handoff, { kind: 'withdrawn', at: AT, why: 'ended' }, stored('joined')]), { kind: 'agent', handoff: null, agent: 'Alice', away: false }, 'a claim on a withdrawn request');
      assert.deepEqual(replay([handoff, stored('back')]), withAlice, '"back" stood for a join');
      assert.deepEqual(replay([handoff, stored('joined'), { kind: 'withdrawn', at: AT, why: 'ended' }]), BOT);
      assert.deepEqual(replayStep(withAlice, agent('away', 'Bob')), withAlice, 'another agent stepping away changed nothing');
      assert.deepEqual(replayStep(BOT, agent('resolved')), BOT);
    });
  });

  describe('replay against the rules before the machine (property)', () => {
    /** How pipeline/sessions.ts, store/unfinished.ts and the admin page each replayed a conversation before this module. */
    interface Before {
      readonly status: 'bot' | 'queued' | 'agent' | 'message';
      readonly agent: string | null;
      readonly handoff: HandoffInfo | null;
      readonly handoffAt: string | null;
      readonly admin: { readonly status: 'queued' | 'agent' | 'message'; readonly agent: string | null; readonly ticket: string } | null;
    }
    const START: Before = { status: 'bot', agent: null, handoff: null, handoffAt: null, admin: null };

    function before(s: Before, e: StoredEvent): Before {
      switch (e.kind) {
        case 'handoff': {
          const status = e.via === 'message' ? 'message' : 'queued';
          return { ...s, status, handoff: { reason: e.reason, team: e.team, channel: e.channel, ticket: e.ticket, at: e.at }, handoffAt: e.at, admin: { status, agent: null, ticket: e.ticket } };
        }
        case 'withdrawn':
          return START;
        case 'agent':
          if (e.event === 'joined' || e.event === 'back') return { ...s, status: 'agent', agent: e.agent, admin: s.admin && { ...s.admin, status: 'agent', agent: e.agent } };
          if (e.event === 'returned' || e.event === 'resolved') return START;
          return s;
        default:
          return s;
      }
    }

    const AGENTS = ['Alice', 'Bob'];
    const KINDS: readonly AgentEventKind[] = ['joined', 'away', 'back', 'returned', 'resolved'];

    function randomEvent(random: () => number, n: number): StoredEvent {
      const at = new Date(Date.parse(AT) + n * 1000).toISOString();
      const roll = random();
      if (roll < 0.2) return { kind: 'handoff', at, reason: 'requested', team: 'general', channel: '#cs', ticket: `T1127-${n}`, details: {}, ...(random() < 0.4 ? { via: 'message' as const } : {}) };
      if (roll < 0.3) return { kind: 'withdrawn', at, why: random() < 0.5 ? 'cancelled' : 'ended' };
      if (roll < 0.4) return { kind: 'message', at, from: 'customer', text: 'hi' };
      return { kind: 'agent', at, event: KINDS[Math.floor(random() * KINDS.length)] as AgentEventKind, agent: AGENTS[Math.floor(random() * AGENTS.length)] as string };
    }

    it('gives the status, agent, ticket, open time and admin listing the old rules gave, for any sequence of stored events', () => {
      const random = mulberry32(1127);
      for (let run = 0; run < 2000; run++) {
        const events = Array.from({ length: Math.floor(random() * 12) }, (_, n) => randomEvent(random, n));
        const old = events.reduce(before, START);
        const state = replay(events);
        const where = JSON.stringify(events.map((e) => (e.kind === 'agent' ? `${e.event}:${e.agent}` : e.kind)));
        assert.equal(statusOf(state), old.status, where);
        if (old.status === 'agent') assert.equal(state.kind === 'agent' && state.agent, old.agent, where);
        if (old.status !== 'bot') assert.deepEqual(openHandoff(state), old.handoff, where);
        const openedAt = events.reduce<string | null>((at, e) => {
          const move = fromStored(e);
          return move ? nextOpenedAt(at, move) : at;
        }, null);
        assert.equal(openedAt, old.handoffAt, where);
        assert.equal(openHandoff(state)?.at ?? null, old.handoffAt, where);
        const listed = openHandoff(state) && { status: statusOf(state), agent: state.kind === 'agent' ? state.agent : null, ticket: openHandoff(state)?.ticket };
        assert.deepEqual(listed, old.admin, where);
      }
    });
  });
});
