import assert from 'node:assert/strict';
import { crc32c } from '../../../src/bot/store/crc32c.js';

describe('crc32c', () => {
  it('gives the known answers of the Castagnoli polynomial', () => {
    // The check value every CRC catalogue lists for CRC-32C, and RFC 3720's (iSCSI) test vectors.
    assert.equal(crc32c('123456789'), 0xe3069283);
    assert.equal(crc32c(''), 0);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  });

  it('reads a string as UTF-8', () => {
    assert.equal(crc32c('请问发货'), crc32c(Buffer.from('请问发货', 'utf8')));
  });

  it('changes when one bit of a record flips', () => {
    const line = Buffer.from('{"s":70,"c":"abc","e":{"kind":"message","text":"hello"}}');
    const flipped = Buffer.from(line);
    flipped[20] = (flipped[20] as number) ^ 0x01;
    assert.notEqual(crc32c(line), crc32c(flipped));
  });
});
