/**
 * Scoring a KB on labelled cases (src/eval/evaluate.ts): each outcome keeps
 * the matcher's top candidate and its confidence, whatever was decided, so
 * the bench can tell how often a given confidence is right.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../../src/bot/core/faq-index.js';
import { parseExpectation, report, runCases, type CaseOutcome } from '../../src/eval/evaluate.js';
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

  it('counts a case in top-3 only when the customer saw the right FAQ: answered, or among a clarification\'s buttons', () => {
    const asked = { text: '多久发货', expect: parseExpectation('shipping-when-dispatch') };
    const clarify = runCases(index, [asked], { answerThreshold: 1, clarifyThreshold: 0 });
    assert.equal(clarify[0]?.decision.action, 'clarify');
    assert.equal(report(clarify).faq?.top3, 1);
    // The same suggestions on a "none" (a lone weak one, say) are kept for the agent: the customer sees no button.
    const none = clarify.map((o) => ({ ...o, decision: { ...o.decision, action: 'none' as const, faqId: null } }) as CaseOutcome);
    assert.equal(report(none).faq?.top3, 0);
  });

  it('has no top candidate for a message with nothing to match', () => {
    const [o] = runCases(index, [{ text: '？？？', expect: parseExpectation('none') }], index.kb.settings);
    assert.equal(o?.top, null);
  });
});
