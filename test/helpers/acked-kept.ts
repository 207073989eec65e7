/**
 * The fault suite's one promise, as an assertion: every message the server
 * acknowledged is kept — present, once, and in the order it was sent — in
 * whatever view of the conversation is given (the history a returning
 * customer is shown, or the files read offline). Failures name the view and
 * the ids, so a report says what was lost, not just that something was.
 */
import assert from 'node:assert/strict';
import { readAllConversations } from '../../src/bot/store/lowdb-store.js';
import type { ReturningCustomer } from './returning-customer.js';

/** Customer message ids per conversation, as the store holds them on disk, read without a server. */
export async function idsOnDisk(dataDir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [conversation, events] of await readAllConversations(dataDir)) {
    out.set(conversation, events.flatMap((e) => (e.kind === 'message' && e.from === 'customer' && e.id !== undefined ? [e.id] : [])));
  }
  return out;
}

/** Asserts `stored` (a view of the customer's conversation named `view`) keeps every acknowledged message once, in sending order. */
export function assertAckedKept(customer: ReturningCustomer, stored: readonly string[], view: string): void {
  const acked = customer.ackedInOrder;
  const present = new Set(stored);
  const lost = acked.filter((id) => !present.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged messages missing from ${view}: ${lost.join(', ')}`);
  const twice = stored.filter((id, i) => stored.indexOf(id) !== i);
  assert.deepEqual(twice, [], `stored more than once in ${view}: ${twice.join(', ')}`);
  const order = new Map(customer.sent.map((id, i) => [id, i]));
  const ours = stored.filter((id) => customer.acked.has(id));
  assert.deepEqual(ours, [...ours].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)), `acknowledged messages out of sending order in ${view}`);
}
