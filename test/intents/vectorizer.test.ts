import assert from 'node:assert/strict';
import { DEFAULT_FEATURE_OPTIONS } from '../../src/intents/features.js';
import { FeatureNames } from '../../src/intents/feature-bag.js';
import { Vectorizer } from '../../src/intents/vectorizer.js';

const bag = (...features: [string, number][]): Map<string, number> => new Map(features);
const plain = (v: { idx: Int32Array; val: Float32Array }): { idx: number[]; val: number[] } => ({ idx: [...v.idx], val: [...v.val] });

describe('the vectorizer', () => {
  it('reads a message (a Map) exactly as the same features packed, whichever vectorizers were made before', () => {
    const docs = [bag(['w:refund', 1], ['c:退款', 2]), bag(['w:ship', 1], ['k:shipping', 1]), bag(['w:refund', 1], ['b:refund time', 1])];
    const first = Vectorizer.fit(docs, DEFAULT_FEATURE_OPTIONS);
    const message = bag(['w:refund', 2], ['w:unknown', 1], ['c:退款', 1], ['k:shipping', 1]);
    const packed = new FeatureNames().pack(message);
    assert.deepEqual(plain(first.transform(message)), plain(first.transform(packed)));
    // A vectorizer made after the message was first read (a KB reloaded, a lazily built model) still sees its own features in it.
    const later = Vectorizer.fit([bag(['w:unknown', 1]), bag(['w:refund', 1])], DEFAULT_FEATURE_OPTIONS);
    assert.deepEqual(plain(later.transform(message)), plain(later.transform(packed)));
    assert.equal(later.transform(message).idx.length, 2, 'w:unknown and w:refund');
    assert.deepEqual(plain(first.transform(message)), plain(first.transform(packed)), 'and the first is unchanged');
  });

  it('leaves out features no vectorizer knows, and reads an empty message as an empty vector', () => {
    const v = Vectorizer.fit([bag(['w:a', 1])], DEFAULT_FEATURE_OPTIONS);
    assert.deepEqual(plain(v.transform(bag(['w:never-seen-anywhere', 3]))), { idx: [], val: [] });
    assert.deepEqual(plain(v.transform(bag())), { idx: [], val: [] });
  });
});
