/**
 * Every conversation of one customer, for `tact customer forget|export` and
 * the admin Privacy page: the conversation with that id, those whose session
 * carries that verified customer id, and those where the phone number or
 * e-mail address appears anywhere (a message, contact details, the handoff's
 * details …, read as customer-key.ts folds them as whole addresses and
 * numbers). Named by an id, the other conversations of the verified
 * customer found are theirs too; named by a phone or an address, only the
 * conversations holding it are: a number written in someone else's chat (a
 * friend's, a courier's) must not take that person's whole history. Reads
 * every conversation: a rare, staff-run request.
 */
import { isCustomerConversation } from '../core/anonymise.js';
import { stringsIn, textNames, type CustomerKey } from '../core/customer-key.js';
import { readConversations, type Store, type StoredEvent } from '../store/store.js';

export async function customerConversations(store: Store, key: CustomerKey): Promise<Map<string, readonly StoredEvent[]>> {
  const all = [...(await readConversations(store))].filter(([, events]) => isCustomerConversation(events));
  const found = new Map(all.filter(([id, events]) => names(key, id, events)));
  if (key.kind !== 'id') return found;
  const verified = new Set([...found.values()].flatMap(customerIds));
  for (const [id, events] of all) if (!found.has(id) && customerIds(events).some((c) => verified.has(c))) found.set(id, events);
  return found;
}

function names(key: CustomerKey, id: string, events: readonly StoredEvent[]): boolean {
  switch (key.kind) {
    case 'id':
      return id === key.id || customerIds(events).includes(key.id);
    case 'phone':
      // A number long enough to be a phone may also be the shop's customer number.
      return customerIds(events).includes(key.digits) || events.some((e) => [...stringsIn(e)].some((s) => textNames(key, s)));
    case 'email':
      return customerIds(events).some((c) => c.toLowerCase() === key.address) || events.some((e) => [...stringsIn(e)].some((s) => textNames(key, s)));
  }
}

function customerIds(events: readonly StoredEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'session' && e.customerId !== null ? [e.customerId] : []));
}
