/**
 * Scoring a KB on labelled cases (src/eval/evaluate.ts): each outcome keeps
 * the matcher's top candidate and its confidence, whatever was decided, so
 * the bench can tell how often a given confidence is right.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../../src/bot/core/faq-index.js';
import { parseExpectation, runCases } from '../../src/eval/evaluate.js';
import { languageData } from '../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';

describe('running evaluation cases', () => {
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(resolve('knowledge-base')), languageData());
  });

  it('keeps the top candidate of an answered case, at the confidence the decision reports', () => {
    const [o] = runCases(index, [{ text: '多久发货', expect: parseExpectation('shipping-when-dispatch') }], index.kb.settings);
    assert.equal(o?.decision.action, 'answer');
    assert.equal(o?.top?.faqId, o?.decision.faqId);
    assert.equal(o?.top?.confidence, o?.decision.confidence);
  });

  it('keeps the top candidate of a case that was not answered, below the thresholds', () => {
    const strict = { answerThreshold: 1, clarifyThreshold: 1 };
    const [o] = runCases(index, [{ text: '多久发货', expect: parseExpectation('shipping-when-dispatch') }], strict);
    assert.equal(o?.decision.action, 'none');
    assert.equal(o?.top?.faqId, 'shipping-when-dispatch');
    assert.ok((o?.top?.confidence ?? 0) > 0);
  });

  it('has no top candidate for a message with nothing to match', () => {
    const [o] = runCases(index, [{ text: '？？？', expect: parseExpectation('none') }], index.kb.settings);
    assert.equal(o?.top, null);
  });
});
