import assert from 'node:assert/strict';
import { CustomerKeyError, parseCustomerKey, textNames } from '../../../src/bot/core/customer-key.js';

describe('naming a customer whose data is exported or forgotten', () => {
  it('reads a phone number however it was typed', () => {
    for (const typed of ['13912345678', '139 1234 5678', '139-1234-5678', '(139) 1234.5678', '+86 139 1234 5678', '0086 13912345678', '１３９１２３４５６７８', '＋８６ １３９-１２３４-５６７８']) {
      assert.deepEqual(parseCustomerKey(typed), { kind: 'phone', digits: '13912345678' }, typed);
    }
    assert.deepEqual(parseCustomerKey('+44 20 7946 0958'), { kind: 'phone', digits: '442079460958' });
  });

  it('reads an e-mail address in any case and width, and ids as they are', () => {
    assert.deepEqual(parseCustomerKey(' Li.Na@Example.COM '), { kind: 'email', address: 'li.na@example.com' });
    assert.deepEqual(parseCustomerKey('li.na＠example.com'), { kind: 'email', address: 'li.na@example.com' });
    assert.deepEqual(parseCustomerKey('AbC_123-xyz'), { kind: 'id', id: 'AbC_123-xyz' });
    assert.deepEqual(parseCustomerKey('10086'), { kind: 'id', id: '10086' }, 'a short number is a customer number');
    assert.deepEqual(parseCustomerKey('user@shop'), { kind: 'id', id: 'user@shop' });
  });

  it('refuses empty, oversized and hostile keys with a coded error saying why', () => {
    const refused = (raw: string, why: RegExp): void => {
      assert.throws(() => parseCustomerKey(raw), (e: unknown) => e instanceof CustomerKeyError && e.code === 'CUSTOMER_KEY_INVALID' && why.test(e.message), raw.slice(0, 30));
    };
    refused('', /empty/);
    refused('   ', /empty/);
    refused('x'.repeat(255), /255 characters long/);
    refused('1'.repeat(16), /at most 15 digits/);
    refused("'; DROP TABLE tact_events; --", /is not a conversation or customer id/);
    refused('../../etc/passwd', /is not a conversation or customer id/);
    refused('a\u0000b', /control characters/);
    refused('<script>@x', /is not an e-mail address/);
    refused('$(rm -rf /)', /is not a conversation or customer id/);
  });

  it('finds a phone in text through separators and full-width digits, and not inside a longer different number', () => {
    const phone = parseCustomerKey('13912345678');
    assert.ok(textNames(phone, '电话：１３９ １２３４ ５６７８，谢谢'));
    assert.ok(textNames(phone, 'call (139)1234-5678 after six'));
    assert.ok(textNames(phone, '+86-139-1234-5678'));
    assert.ok(!textNames(phone, 'order 1391234 qty 5678'.replace(' qty ', ', qty ')), 'two numbers apart are not one phone');
    assert.ok(!textNames(phone, '13912345670'));
    const email = parseCustomerKey('li.na@example.com');
    assert.ok(textNames(email, 'write to LI.NA＠EXAMPLE.COM please'));
    assert.ok(!textNames(email, 'na@example.com'));
  });

  // Forgetting cannot be undone: each of these took a stranger's conversation before (found in review).
  it('never matches a phone or an address inside a longer one', () => {
    const phone = parseCustomerKey('139 1234 5678');
    assert.ok(!textNames(phone, 'order 2024113912345678001'), 'inside an order number');
    assert.ok(!textNames(phone, '订单号 8613912345678001'));
    assert.ok(textNames(phone, '我的手机 0086 139 1234 5678'), 'after 0086 it is still the phone');
    assert.ok(textNames(phone, '1 3 9 1 2 3 4 5 6 7 8'), 'one digit at a time');
    assert.ok(!textNames(parseCustomerKey('555-2671-0'), 'order 88555267109'));
    const ann = parseCustomerKey('ann@shop.com');
    assert.ok(!textNames(ann, 'joann@shop.com'));
    assert.ok(!textNames(ann, 'ann@shop.community'));
    assert.ok(!textNames(ann, 'ann@shop.com.cn'));
    assert.ok(textNames(ann, '邮箱：ann@shop.com。'));
    assert.ok(textNames(ann, '<ANN@SHOP.COM>'));
  });

  it('reads a hostile run of 50,000 single digits, each stretch no longer than a phone', () => {
    assert.ok(!textNames(parseCustomerKey('13912345678'), '1 '.repeat(50_000)));
  });
});
