import assert from 'node:assert/strict';
import { cardShaped, idCardValid, luhn, plainNumberGroups } from '../../../src/bot/core/mask-checks.js';

describe('mask checks', () => {
  it('validates an ID card by its check character and birth date', () => {
    assert.equal(idCardValid('11010519491231002X'), true);
    assert.equal(idCardValid('11010519491231002x'), true);
    assert.equal(idCardValid('110105194912310021'), false, 'wrong check character');
    assert.equal(idCardValid('202611270001234567'), false, 'an order number');
  });

  it('runs the Luhn check', () => {
    assert.equal(luhn('4111111111111111'), true);
    assert.equal(luhn('4111111111111112'), false);
  });

  it('knows how card numbers are printed', () => {
    for (const shape of [[4, 4, 4, 4], [4, 4, 4, 4, 3], [4, 6, 5], [4, 6, 4], [4, 4, 4, 1]]) assert.equal(cardShaped(shape), true, shape.join('-'));
    for (const shape of [[4, 2, 2, 4, 2, 2], [3, 4, 4], [8, 8], [4, 4]]) assert.equal(cardShaped(shape), false, shape.join('-'));
  });

  it('finds the groups that are dates, decimals or IP addresses', () => {
    assert.deepEqual(plainNumberGroups(['2026', '12', '06', '2026', '12', '08'], ['-', '-', ' - ', '-', '-']), [true, true, true, true, true, true]);
    assert.deepEqual(plainNumberGroups(['06', '12', '2026'], ['/', '/']), [true, true, true]);
    assert.deepEqual(plainNumberGroups(['20261206', '13987651234'], [' ']), [true, false]);
    assert.deepEqual(plainNumberGroups(['13', '99', '12', '50'], ['.', ' ', '.']), [true, true, true, true]);
    assert.deepEqual(plainNumberGroups(['192', '168', '10', '100'], ['.', '.', '.']), [true, true, true, true]);
    assert.deepEqual(plainNumberGroups(['139', '8765', '1234'], ['.', '.']), [false, false, false]);
    assert.deepEqual(plainNumberGroups(['2026', '13', '06'], ['-', '-']), [false, false, false], 'no 13th month');
  });
});
