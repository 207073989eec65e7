import assert from 'node:assert/strict';
import { parseCustomerKey } from '../../../src/bot/core/customer-key.js';
import { customerConversations } from '../../../src/bot/pipeline/customer-lookup.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store, StoredEvent } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const AT = '2026-11-20T02:00:00.000Z';
const session = (customerId: string | null): StoredEvent => ({ kind: 'session', at: AT, lang: 'zh', customerId, name: null });
const said = (text: string): StoredEvent => ({ kind: 'message', at: AT, from: 'customer', text, id: `w-${text.length}` });

describe('finding the conversations of a customer to forget or export', () => {
  let store: Store;

  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
    // Wang's own chats (verified as shop-user-7), and Zhao's, who once wrote down Wang's number as the courier's.
    for (const [id, events] of [
      ['wang-1', [session('shop-user-7'), said('我的电话 139 1234 5678')]],
      ['wang-2', [session('shop-user-7'), said('还是没收到')]],
      ['zhao-1', [session('shop-user-9'), said('快递员电话13912345678一直打不通')]],
      ['zhao-2', [session('shop-user-9'), said('我要退货')]],
      ['order', [session(null), said('订单号 2024113912345678001')]],
    ] as const) {
      for (const e of events) await store.append(id, e);
    }
  });
  afterEach(async () => {
    await store.close();
    cleanTempDirs();
  });

  it('takes by a phone only the conversations holding it, never the rest of another customer who wrote it down', async () => {
    const found = await customerConversations(store, parseCustomerKey('+86 139-1234-5678'));
    assert.deepEqual([...found.keys()].sort(), ['wang-1', 'zhao-1']);
  });

  it('takes by a conversation id every conversation of the customer verified there', async () => {
    const found = await customerConversations(store, parseCustomerKey('wang-1'));
    assert.deepEqual([...found.keys()].sort(), ['wang-1', 'wang-2']);
  });
});
