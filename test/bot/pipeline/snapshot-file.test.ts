import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSnapshot, encodeSnapshot, SnapshotFileError, writeSnapshot } from '../../../src/bot/pipeline/snapshot-file.js';

describe('snapshot file', () => {
  const value = {
    weights: Float32Array.from([0.5, -1.25, 3]),
    starts: Int32Array.from([0, 2, 7]),
    blend: Float64Array.from([0.1]),
    teams: new Map([['care', { name: '客服组' }]]),
    asking: new Set(['~when']),
    // Customer text and ids that look like the format's own tags must come back as they went in.
    faq: { $blob: 0, $map: 'x', answer: '退款 $& $1 $$ 到账' },
    nested: [{ $set: [1] }, null, 'text', 12.5, true],
  };

  it('gives back every typed array, Map, Set and plain value it stored', () => {
    const back = decodeSnapshot('k1', encodeSnapshot('k1', value)) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(back.weights instanceof Float32Array);
    assert.ok(back.teams instanceof Map);
    assert.ok(back.asking instanceof Set);
  });

  it('writes to a file piece by piece the same bytes it encodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tact-snapshot-'));
    try {
      const fd = openSync(join(dir, 'x'), 'w');
      const n = writeSnapshot(fd, 'k1', value);
      closeSync(fd);
      const file = readFileSync(join(dir, 'x'));
      assert.equal(n, file.length);
      assert.deepEqual(file, encodeSnapshot('k1', value));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes from a buffer at any offset (typed arrays need alignment)', () => {
    const file = encodeSnapshot('k1', value);
    const shifted = Buffer.concat([Buffer.alloc(3), file]).subarray(3);
    assert.deepEqual(decodeSnapshot('k1', shifted), value);
  });

  it('refuses a well-formed file whose header names an unknown array kind or an impossible length', () => {
    const forged = (blobs: string): Buffer => {
      const header = Buffer.from(`{"key":"k1","blobs":${blobs},"value":{"$blob":0}}`);
      const body = Buffer.concat([header, Buffer.alloc(((8 + 4 + 32 + header.length + 7) & ~7) - (8 + 4 + 32) - header.length), Buffer.alloc(16)]);
      const prefix = Buffer.alloc(44);
      prefix.write('TACTSNP1', 'latin1');
      prefix.writeUInt32LE(header.length, 8);
      createHash('sha256').update(body).digest().copy(prefix, 12);
      return Buffer.concat([prefix, body]);
    };
    assert.throws(() => decodeSnapshot('k1', forged('[{"kind":"__proto__","length":1}]')), SnapshotFileError);
    assert.throws(() => decodeSnapshot('k1', forged('[{"kind":"f32","length":-1}]')), SnapshotFileError);
    assert.throws(() => decodeSnapshot('k1', forged('[{"kind":"f32","length":1e9}]')), SnapshotFileError);
    assert.deepEqual(decodeSnapshot('k1', forged('[{"kind":"f32","length":4}]')), new Float32Array(4));
  });

  it('stores typed arrays as bytes, not as numbers in the JSON', () => {
    const big = { w: new Float32Array(100_000).fill(0.123456) };
    assert.ok(encodeSnapshot('k', big).length < 100_000 * 4 + 1000);
  });

  it('refuses a file with one byte changed, a truncated one, another key or another format', () => {
    const file = encodeSnapshot('k1', value);
    const flipped = Buffer.from(file);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 1;
    assert.throws(() => decodeSnapshot('k1', flipped), SnapshotFileError);
    assert.throws(() => decodeSnapshot('k1', file.subarray(0, file.length - 8)), SnapshotFileError);
    assert.throws(() => decodeSnapshot('k1', file.subarray(0, 20)), SnapshotFileError);
    assert.throws(() => decodeSnapshot('k2', file), /another key/);
    assert.throws(() => decodeSnapshot('k1', Buffer.from('{"key":"k1"}')), /not a Tact snapshot/);
  });
});
