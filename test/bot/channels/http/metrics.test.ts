import assert from 'node:assert/strict';
import { Metrics, storeMetrics } from '../../../../src/bot/channels/http/metrics.js';
import { decide } from '../../../../src/bot/core/decide.js';
import { buildFaqIndex } from '../../../../src/bot/core/faq-index.js';
import { languageData } from '../../../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

describe('Metrics', () => {
  after(cleanTempDirs);

  it('counts messages, decisions by action, handoffs by reason and latency, in Prometheus text', () => {
    const index = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
    const m = new Metrics();
    for (const [text, seconds] of [['请问多久发货', 0.0008], ['转人工', 0.003], ['转人工', 2]] as const) {
      m.messageReceived();
      m.decided(decide(index, text), seconds);
    }
    const text = m.render();
    assert.match(text, /^tact_messages_total 3$/m);
    assert.match(text, /^tact_decisions_total\{action="answer"\} 1$/m);
    assert.match(text, /^tact_decisions_total\{action="handoff"\} 2$/m);
    assert.match(text, /^tact_handoffs_total\{reason="requested"\} 2$/m);
    assert.match(text, /^tact_decision_seconds_bucket\{le="0.001"\} 1$/m);
    assert.match(text, /^tact_decision_seconds_bucket\{le="0.005"\} 2$/m);
    assert.match(text, /^tact_decision_seconds_bucket\{le="\+Inf"\} 3$/m);
    assert.match(text, /^tact_decision_seconds_count 3$/m);
    for (const line of text.trim().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"\})? [\d.e+-]+)$/, line);
  });
});

describe('storeMetrics', () => {
  it('shows a degraded store, its failed folds and quarantined conversations, in Prometheus text', () => {
    const text = storeMetrics({ status: 'degraded', problems: ['x'], quarantined: 2, failedFolds: 3 });
    assert.match(text, /^tact_store_degraded 1$/m);
    assert.match(text, /^tact_store_failed_folds_total 3$/m);
    assert.match(text, /^tact_store_quarantined_conversations 2$/m);
    assert.match(storeMetrics({ status: 'ok', problems: [], quarantined: 0, failedFolds: 0 }), /^tact_store_degraded 0$/m);
    for (const line of text.trim().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"\})? [\d.e+-]+)$/, line);
  });
});
