import assert from 'node:assert/strict';
import { openEnvelope, sealEnvelope, type Envelope } from '../../../src/bot/cluster/delivery-envelope.js';

const at = '2026-11-27T10:00:00.000Z';

describe('the delivery channel envelope', () => {
  const good: readonly Envelope[] = [
    { from: 'i1', conversationId: 'c1', item: { type: 'message', seq: 3, from: 'bot', text: '您好', at, quickReplies: [{ title: '查订单', payload: 'order' }] } },
    { from: 'i1', conversationId: 'c1', item: { type: 'message', seq: 4, from: 'customer', text: 'hi', at, id: 'w-9' }, origin: 'sock-2' },
    { from: 'i1', conversationId: 'c1', item: { type: 'message', seq: 5, from: 'agent', text: '我来处理', at, agent: '小王' } },
    { from: 'i1', conversationId: 'c1', item: { type: 'typing', on: false } },
    { from: 'i1', conversationId: 'c1', item: { type: 'status', status: 'agent', agent: '小王' } },
    { from: 'i1', conversationId: 'c1', item: { type: 'status', status: 'queued', position: 0 } },
    { from: 'i1', conversationId: 'c1', item: { type: 'lang', lang: 'en' } },
  ];

  it('opens every kind of item as it was sealed', () => {
    for (const envelope of good) assert.deepEqual(openEnvelope(sealEnvelope(envelope)), { ok: true, envelope });
  });

  it('keeps only the fields it knows', () => {
    const raw = JSON.stringify({ from: 'i1', conversationId: 'c1', extra: 1, item: { type: 'message', seq: 1, from: 'bot', text: 't', at, html: '<script>', quickReplies: [{ title: 'a', payload: 'b', onclick: 'x' }] } });
    assert.deepEqual(openEnvelope(raw), { ok: true, envelope: { from: 'i1', conversationId: 'c1', item: { type: 'message', seq: 1, from: 'bot', text: 't', at, quickReplies: [{ title: 'a', payload: 'b' }] } } });
  });

  it('says what is wrong with a message that does not fit', () => {
    const item = { type: 'typing', on: true };
    const cases: readonly (readonly [unknown, RegExp])[] = [
      ['{', /JSON object/],
      [{ conversationId: 'c', item }, /from/],
      [{ from: 'i', conversationId: 'a b', item }, /conversationId/],
      [{ from: 'i', conversationId: 'c', item, origin: 5 }, /origin/],
      [{ from: 'i', conversationId: 'c', item: 'typing' }, /item must be an object/],
      [{ from: 'i', conversationId: 'c', item: { type: 'pong' } }, /item\.type "pong"/],
      [{ from: 'i', conversationId: 'c', item: { type: 'typing', on: 'yes' } }, /item\.on/],
      [{ from: 'i', conversationId: 'c', item: { type: 'lang', lang: 'fr' } }, /item\.lang/],
      [{ from: 'i', conversationId: 'c', item: { type: 'status', status: 'queued', position: 1.5 } }, /item\.position/],
      [{ from: 'i', conversationId: 'c', item: { type: 'message', seq: 1, from: 'admin', text: 't', at } }, /item\.from/],
      [{ from: 'i', conversationId: 'c', item: { type: 'message', seq: 1, from: 'bot', text: 't', at, quickReplies: [{ title: 1 }] } }, /item\.quickReplies/],
    ];
    for (const [raw, problem] of cases) {
      const opened = openEnvelope(typeof raw === 'string' ? raw : JSON.stringify(raw));
      assert.ok(!opened.ok && problem.test(opened.problem), `${JSON.stringify(raw)} → ${JSON.stringify(opened)}`);
    }
  });
});
