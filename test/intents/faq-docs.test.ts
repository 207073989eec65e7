import assert from 'node:assert/strict';
import { FaqDocs } from '../../src/intents/faq-docs.js';

const words = (...ws: string[]): Map<string, number> => new Map(ws.map((w) => [w, 1]));

describe('FAQ documents (relevance)', () => {
  const raw = [words('w:ship', 'k:when'), words('w:courier', 'w:tracking', 'c:ab'), words('w:refund', 'k:when'), words('w:poem')];
  // Phrasings: ship's question and answer, refund's question, a negative example.
  const docs = FaqDocs.build(raw, Int32Array.from([0, 0, 1, -1]), [false, true, false, false], 2);

  it("reads an FAQ's answer as part of it: a word only the answer has still points to it", () => {
    const [ship, refund] = docs.relevance(words('w:tracking'), 2);
    assert.ok((ship as number) > 0);
    assert.equal(refund, 0);
  });

  it('scores how much of the message the FAQ covers: a word no FAQ knows pulls every FAQ down', () => {
    const [covered] = docs.relevance(words('w:ship', 'w:courier'), 2);
    const [half] = docs.relevance(words('w:ship', 'w:refund'), 2);
    const [diluted] = docs.relevance(words('w:ship', 'w:courier', 'w:netflix'), 2);
    assert.ok((covered as number) > 0.3, `covered ${covered}`);
    assert.ok((half as number) < (covered as number), `half ${half}`);
    assert.ok((diluted as number) < (covered as number) * 0.75, `diluted ${diluted}`);
  });

  it("reads a Chinese message's unknown Latin word as a name (AirPods, an order number), not as something the KB does not cover", () => {
    const plain = docs.relevance(words('w:退款', 'k:when'), 2);
    const named = docs.relevance(words('w:退款', 'k:when', 'w:airpods'), 2, true);
    const english = docs.relevance(words('w:退款', 'k:when', 'w:airpods'), 2, false);
    assert.deepEqual([...named], [...plain]);
    assert.ok((english[1] as number) < (plain[1] as number));
  });

  it('leaves negative examples, bigrams and character n-grams out', () => {
    assert.deepEqual([...docs.relevance(words('w:poem', 'c:ab'), 2)], [0, 0]);
  });

  it('restores from its state to the same scores', () => {
    const again = FaqDocs.restore(docs.state());
    const q = words('w:refund', 'k:when', 'w:ship');
    assert.deepEqual([...again.relevance(q, 2)], [...docs.relevance(q, 2)]);
  });

  it('scores nothing for an empty message', () => {
    assert.deepEqual([...docs.relevance(new Map(), 2)], [0, 0]);
  });
});
