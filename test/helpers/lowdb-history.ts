/**
 * A data directory with the history a shop's embedded store holds after a
 * while, made by today's store code: web conversations with turns, decisions,
 * dialog states, a handoff with an agent, a rating; one still waiting for a
 * person and one with a turn that never finished (unfinished); the Slack
 * outbox, cards and agent-duty logs; a conversation whose messages were
 * stored before the store numbered them (its file written by hand, as the
 * first versions left it); and one with a gap in its numbers left by a
 * failed append. For the import tests (`tact db import-lowdb`).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import { StoreError, type Store, type StoredEvent } from '../../src/bot/store/store.js';
import { inject } from './store-faults.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 27, 10, minute)).toISOString();

const customer = (minute: number, text: string, id: string, extra: Partial<Extract<StoredEvent, { kind: 'message' }>> = {}): StoredEvent => ({
  kind: 'message',
  at: at(minute),
  from: 'customer',
  text,
  id,
  ...extra,
});
const bot = (minute: number, text: string, turn?: string): StoredEvent => ({ kind: 'message', at: at(minute), from: 'bot', text, ...(turn ? { turn } : {}) });

/** Conversation ids the history holds, each with what it shows. */
export const HISTORY = {
  answered: 'web-answered',
  handedOff: 'web-handed-off',
  waiting: 'web-waiting',
  old: 'web-old',
  gap: 'web-gap',
  outbox: 'slack-outbox',
  cards: 'slack-cards',
  duty: 'agent-duty',
} as const;

/** A customer asked, the bot answered with quick replies, the customer tapped one and rated the chat. Strings JSON must escape, too. */
const answered: readonly StoredEvent[] = [
  { kind: 'session', at: at(0), lang: 'zh', customerId: 'cust-1', name: '王小姐' },
  customer(1, '下单后多久发货？', 'w1'),
  { kind: 'decision', at: at(1), action: 'answer', faqId: 'ship-time', handoffReason: null, confidence: 0.91 },
  bot(1, '您好，订单会在付款后48小时内发货。', 'w1'),
  { kind: 'dialog', at: at(1), key: 'faq', state: { step: 1, vars: { asked: 'ship-time' } }, turn: 'w1' },
  { kind: 'turn', at: at(1), id: 'w1' },
  customer(2, 'quotes " and \\ backslash, NUL \u0000, lone \ud800, emoji 😀', 'w2', { payload: 'more', quickReplies: [{ title: '更多', payload: 'more' }] }),
  { kind: 'rerun', at: at(2), id: 'w2' },
  bot(2, '还有什么可以帮您？', 'w2'),
  { kind: 'turn', at: at(2), id: 'w2' },
  { kind: 'dialog', at: at(3), key: 'faq', state: null },
  { kind: 'rating', at: at(3), score: 5, comment: '很好' },
];

/** Handed to a person, who joined, answered, stepped away and resolved it. */
const handedOff: readonly StoredEvent[] = [
  { kind: 'session', at: at(0), lang: 'en', customerId: null, name: null },
  customer(1, 'My parcel never arrived and I want a person NOW', 'h1', { contact: 'a@example.com' }),
  { kind: 'decision', at: at(1), action: 'handoff', faqId: null, handoffReason: 'emotion', confidence: 0.4 },
  {
    kind: 'handoff',
    at: at(1),
    reason: 'emotion',
    team: 'care',
    channel: 'C123',
    ticket: 'T-1',
    details: { order: '12345' },
    via: 'queue',
    case: { summary: 'parcel missing', order: '12345', answered: [], emotion: 'angry', suggestedReply: 'Sorry about that…' },
  },
  bot(1, 'Connecting you to a colleague.', 'h1'),
  { kind: 'turn', at: at(1), id: 'h1' },
  { kind: 'agent', at: at(2), event: 'joined', agent: 'Lin' },
  { kind: 'message', at: at(2), from: 'agent', text: 'Hi, Lin here. Let me look.', agent: 'Lin' },
  { kind: 'agent', at: at(3), event: 'away', agent: 'Lin' },
  { kind: 'agent', at: at(4), event: 'back', agent: 'Lin' },
  { kind: 'agent', at: at(5), event: 'resolved', agent: 'Lin' },
];

/** Still waiting for a person, and a customer message whose turn never finished: both unfinished. */
const waiting: readonly StoredEvent[] = [
  customer(1, '我要人工', 'q1'),
  { kind: 'handoff', at: at(1), reason: 'requested', team: 'care', channel: 'C123', ticket: 'T-2', details: {} },
  { kind: 'turn', at: at(1), id: 'q1' },
  customer(2, '还在吗？', 'q2'),
];

const outbox: readonly StoredEvent[] = [
  { kind: 'outbox', at: at(1), op: 'queued', item: { id: 'o1', method: 'chat.postMessage', channel: 'C123', args: { text: 'New handoff' }, rememberAs: 'card:web-handed-off' } },
  { kind: 'outbox', at: at(1), op: 'done', id: 'o1', rememberAs: 'card:web-handed-off', post: { channel: 'C123', ts: '1700000000.000100' } },
  { kind: 'outbox', at: at(2), op: 'queued', item: { id: 'o2', method: 'reactions.add', channel: 'C123', args: { name: 'white_check_mark' }, threadOf: 'card:web-handed-off' } },
  { kind: 'outbox', at: at(2), op: 'dropped', id: 'o2', reason: 'already_reacted' },
];

const cards: readonly StoredEvent[] = [{ kind: 'card', at: at(1), sessionId: 'web-handed-off', card: { status: 'resolved', agent: 'Lin', ts: '1700000000.000100' } }];

const duty: readonly StoredEvent[] = [
  { kind: 'duty', at: at(0), agent: 'Lin', on: true },
  { kind: 'duty', at: at(9), agent: 'Lin', on: false },
];

/** As the first versions wrote a conversation's file: messages without numbers (numbered 1–3 by their place; the store goes on at 4). */
const oldFile = {
  id: HISTORY.old,
  lastSeq: 3,
  events: [customer(0, 'hello?', 'x1'), bot(0, 'Hello! How can I help?', 'x1'), { kind: 'turn', at: at(0), id: 'x1' }, customer(1, 'never mind', 'x2'), { kind: 'turn', at: at(1), id: 'x2' }],
};

/**
 * Makes the history in `dir` (a new data directory) and closes the store.
 * Resolves with the conversation ids it holds.
 */
export async function writeHistory(dir: string): Promise<string[]> {
  mkdirSync(join(dir, 'conversations'), { recursive: true });
  writeFileSync(join(dir, 'conversations', `${HISTORY.old}.json`), JSON.stringify(oldFile));
  const store = await openLowdbStore(dir);
  try {
    const logs: [string, readonly StoredEvent[]][] = [
      [HISTORY.answered, answered],
      [HISTORY.handedOff, handedOff],
      [HISTORY.waiting, waiting],
      [HISTORY.outbox, outbox],
      [HISTORY.cards, cards],
      [HISTORY.duty, duty],
    ];
    for (const [id, events] of logs) for (const e of events) await store.append(id, e);
    // Numbered after the old messages: 4 and 5.
    await store.append(HISTORY.old, customer(5, 'back again', 'x3'));
    await store.append(HISTORY.old, bot(5, 'Welcome back.', 'x3'));
    await store.append(HISTORY.old, { kind: 'turn', at: at(5), id: 'x3' });
    await appendWithGap(store);
  } finally {
    await store.close();
  }
  return Object.values(HISTORY);
}

/** Messages 1 and 2, an append whose write fails (its number, 3, is never used), then 4. */
async function appendWithGap(store: Store): Promise<void> {
  await store.append(HISTORY.gap, customer(1, 'one', 'g1'));
  await store.append(HISTORY.gap, bot(1, 'two', 'g1'));
  const fault = inject('write', 'EIO', { path: /wal\.log$/, times: 1 });
  await assert.rejects(store.append(HISTORY.gap, bot(1, 'lost')), (e: unknown) => e instanceof StoreError && e.code === 'STORE_WRITE_FAILED');
  fault.clear();
  assert.equal(await store.append(HISTORY.gap, bot(2, 'four')), 4, 'the failed append left a gap');
  await store.append(HISTORY.gap, { kind: 'turn', at: at(2), id: 'g1' });
}

/** Many short conversations (`conv-0000` …), for imports long enough to interrupt. */
export async function writeManyConversations(dir: string, count: number): Promise<void> {
  const store = await openLowdbStore(dir);
  try {
    const ids = Array.from({ length: count }, (_, i) => `conv-${String(i).padStart(4, '0')}`);
    await Promise.all(ids.map(async (id) => {
      await store.append(id, customer(1, `question from ${id}`, `${id}-1`));
      await store.append(id, bot(1, `answer to ${id}`, `${id}-1`));
      await store.append(id, { kind: 'turn', at: at(1), id: `${id}-1` });
    }));
  } finally {
    await store.close();
  }
}
