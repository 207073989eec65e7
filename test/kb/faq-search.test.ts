import assert from 'node:assert/strict';
import { searchFaqs } from '../../src/kb/faq-search.js';
import { loadFaqs } from '../../src/kb/load.js';
import type { Faq } from '../../src/kb/types.js';

const demo = loadFaqs('knowledge-base');
const ids = (query: string): string[] => searchFaqs(demo, query).map((f) => f.id);
const faq = (id: string, question: string, answer: string, more: Partial<Faq> = {}): Faq => ({ id, category: 'shop', question: { en: question }, alternates: [], answer: { en: answer }, tags: [], handoff: false, ...more });

describe('searching the FAQs on the admin page', () => {
  it('puts the refund FAQs first for "refund" and "退款", and leaves out FAQs that only mention refunds in passing', () => {
    for (const query of ['refund', '退款', 'refunds', '退款進度']) {
      const found = ids(query);
      assert.ok(found.length >= 4 && found.length <= 10, `${query}: ${found.length} results`);
      assert.deepEqual(found.slice(0, 4).map((id) => id.split('-')[0]), ['refunds', 'refunds', 'refunds', 'refunds'], `${query}: ${found.join(' ')}`);
      assert.ok(!found.includes('account-delete'), `${query}: account deletion is not about refunds`);
    }
    assert.ok(demo.filter((f) => Object.values(f.answer).some((a) => /refund|退款/i.test(a))).length > 15, 'a substring search would list far more');
  });

  it('finds an FAQ by its id first, and by words of its id', () => {
    assert.equal(ids('account-delete')[0], 'account-delete');
    assert.equal(ids('ACCOUNT-DELETE')[0], 'account-delete');
    assert.ok(ids('invoice').every((id) => id.startsWith('invoices-')));
  });

  it('weighs the question above the alternates above the answer', () => {
    const faqs = [
      faq('a', 'Where is my parcel?', 'It mentions a voucher.'),
      faq('b', 'How do I pay?', 'Pay online.', { alternates: ['can I pay with a voucher'] }),
      faq('c', 'Can I use a voucher?', 'Yes.'),
    ];
    assert.deepEqual(searchFaqs(faqs, 'voucher').map((f) => f.id), ['c', 'b']);
    assert.deepEqual(searchFaqs(faqs, 'parcel').map((f) => f.id), ['a']);
  });

  it('matches as the bot reads: Traditional Chinese, full-width letters, English word forms and a word being typed', () => {
    const faqs = [faq('ship', '发货要多久', 'Shipping takes 2 days.'), faq('other', 'Gift cards', 'On the Me page.')];
    assert.deepEqual(searchFaqs(faqs, '發貨').map((f) => f.id), ['ship']);
    assert.deepEqual(searchFaqs(faqs, 'ＳＨＩＰＰＥＤ').map((f) => f.id), ['ship']);
    assert.deepEqual(searchFaqs(faqs, 'gif').map((f) => f.id), ['other']);
  });

  it('finds nothing for an empty, punctuation-only, unknown or hostile query', () => {
    for (const query of ['', '   ', '???', 'xyzzy', '<qqzz onerror=zzqq>', '.*'.repeat(100), '(((([[\\']) assert.deepEqual(ids(query), [], JSON.stringify(query.slice(0, 20)));
  });
});
