import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../../src/bot/core/faq-index.js';
import { calibrate } from '../../src/eval/calibrate.js';
import { parseExpectation, type EvalCase } from '../../src/eval/evaluate.js';
import { languageData } from '../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';

const faq = (text: string, id: string): EvalCase => ({ text, expect: parseExpectation(id) });

describe('calibrating thresholds on validation cases', () => {
  let index: FaqIndex;
  before(() => {
    index = buildFaqIndex(loadKnowledgeBase(resolve('knowledge-base')), languageData());
  });

  it('keeps the KB’s thresholds when the validation cases have no out-of-scope examples', () => {
    const inScopeOnly = [faq('多久发货', 'shipping-when-dispatch'), faq('退款多久到账', 'refunds-progress'), faq('can I pay in installments', 'payment-methods'), faq('发票怎么开', 'shipping-when-dispatch')];
    assert.deepEqual(calibrate(index, inScopeOnly), index.kb.settings);
  });
});
