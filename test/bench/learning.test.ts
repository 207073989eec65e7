/**
 * The learning section's accepted gap (bench/learning.ts): a customer's
 * message becomes one more alternate of its FAQ, as Save-as-FAQ onto an
 * existing FAQ does, and nothing else in the KB changes.
 */
import assert from 'node:assert/strict';
import { withAlternate } from '../../bench/learning.js';
import { loadKbSource } from '../../src/kb/source.js';

const kb = loadKbSource('test/fixtures/bakery.csv');
const [first, second] = kb.faqs;

describe('an accepted gap in the learning section', () => {
  it('adds the message as an alternate of its FAQ only', () => {
    const next = withAlternate(kb, second!.id, '蛋糕能送到家吗');
    assert.deepEqual(next.faqs[1]!.alternates, [...second!.alternates, '蛋糕能送到家吗']);
    assert.equal(next.faqs[0], first);
    assert.equal(kb.faqs[1]!.alternates.length, second!.alternates.length);
  });

  it('does not add an alternate the FAQ has already', () => {
    const once = withAlternate(kb, first!.id, 'again?');
    assert.deepEqual(withAlternate(once, first!.id, 'again?').faqs[0]!.alternates, once.faqs[0]!.alternates);
  });
});
