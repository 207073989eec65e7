import assert from 'node:assert/strict';
import { analyze } from '../../../src/intents/analyze.js';
import { Lexicon } from '../../../src/intents/lexicon.js';
import { EscalationRouter } from '../../../src/bot/core/escalation.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const MATRIX = `followUp: 72h
teams:
  - { id: general, name: { zh: 综合客服组, en: the customer service team }, channel: "#cs-general", supervisor: { name: 李静, slack: U01GENERAL1 }, sla: { firstResponse: 1m, resolution: 24h } }
  - { id: logistics, name: { zh: 物流服务组, en: the logistics team }, channel: "#cs-logistics", supervisor: { name: 王敏, slack: U01LOGISTIC }, sla: { firstResponse: 2m, resolution: 24h } }
  - { id: quality, name: { zh: 质量组, en: the quality team }, channel: "#cs-quality", supervisor: { name: 孙磊, slack: U01QUALITY1 }, sla: { firstResponse: 1m, resolution: 3wd } }
  - { id: complaints, name: { zh: 投诉协调组, en: the complaints team }, channel: "#cs-complaints", supervisor: { name: 郑丽华, slack: U01COMPLNTS }, sla: { firstResponse: 1m, resolution: 3wd } }
  - { id: risk, name: { zh: 风控组, en: the security team }, channel: "#cs-risk", supervisor: { name: 吴强, slack: U01RISKSEC1 }, sla: { firstResponse: 1m, resolution: 24h } }
routes: { shop: logistics }
complaints:
  logistics: { team: logistics, keywords: { zh: [快递员, 包裹], en: [courier, parcel] } }
  product_quality: { team: quality, keywords: { zh: [质量, 坏了], en: [defective, broken] } }
  coordinator: { team: complaints }
reasons:
  fraud: { team: risk, urgent: true }
urgent:
  sla: { firstResponse: 30s, resolution: 4h }
`;

describe('EscalationRouter', () => {
  after(cleanTempDirs);
  const kb = loadKnowledgeBase(shopKb({ 'escalation.yaml': MATRIX }));
  const router = new EscalationRouter(kb.escalation, kb.shop.defaultTeam);
  const causes = (text: string) => router.complaintCauses(analyze(text, new Lexicon([])));

  it('routes an urgent reason to its own team with the urgent SLA', () => {
    const { escalation } = router.route('fraud', 'shop', [], 'zh');
    assert.deepEqual(escalation, {
      team: 'risk',
      teamName: '风控组',
      channel: '#cs-risk',
      supervisor: { name: '吴强', slack: 'U01RISKSEC1' },
      sla: { firstResponse: '30s', resolution: '4h' },
      urgent: true,
      causes: [],
      followUp: '72h',
    });
  });

  it('routes a complaint to the team that owns its cause', () => {
    const found = causes('快递员把包裹扔在门口');
    assert.deepEqual(found, ['logistics']);
    assert.equal(router.route('complaint', null, found, 'en').escalation.team, 'logistics');
  });

  it('gives a complaint with several causes to the coordinator, listing them all', () => {
    const found = causes('the courier threw the parcel and now it is broken');
    assert.deepEqual(found, ['logistics', 'product_quality']);
    const { escalation } = router.route('complaint', null, found, 'en');
    assert.equal(escalation.team, 'complaints');
    assert.deepEqual(escalation.causes, ['logistics', 'product_quality']);
  });

  it("routes other reasons by the FAQ's category, else to the default team", () => {
    assert.equal(router.route('requested', 'shop', [], 'zh').escalation.team, 'logistics');
    assert.equal(router.route('requested', 'unknown-category', [], 'zh').escalation.team, 'general');
    assert.equal(router.route('repeated_failure', null, [], 'en').escalation.teamName, 'the customer service team');
  });
});
