import assert from 'node:assert/strict';
import { foldedView, originalRange } from '../../../src/bot/core/mask-view.js';

describe('foldedView', () => {
  it('folds full-width forms, other scripts’ digits and ideographic spaces to ASCII, and drops invisible characters', () => {
    assert.equal(foldedView('电话：１３９　８７６５\u200b１２３４，ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ').text, '电话:139 87651234,zhang@example.com');
    assert.equal(foldedView('\u0661\u0663\u0669 \u0967\u0969 ①').text, '139 13 1');
  });

  it('leaves Chinese numerals alone: they are words too', () => {
    assert.equal(foldedView('一直打一三九').text, '一直打一三九');
  });

  it('maps a folded range back to the whole characters typed, surrogate pairs included', () => {
    const typed = 'a𝟏𝟑\u200b9b';
    const view = foldedView(typed);
    assert.equal(view.text, 'a139b');
    assert.deepEqual(originalRange(view, 1, 4), [1, 7]);
    assert.equal(typed.slice(...originalRange(view, 1, 4)), '𝟏𝟑\u200b9');
  });

  it('maps a character that folds to several back to itself', () => {
    const view = foldedView('x㈠y');
    assert.equal(view.text, 'x(一)y');
    assert.deepEqual(originalRange(view, 2, 3), [1, 2]);
  });
});
