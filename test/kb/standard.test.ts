import assert from 'node:assert/strict';
import { ToneChecker } from '../../src/bot/core/tone.js';
import { KbError } from '../../src/kb/errors.js';
import { loadKnowledgeBase, openPackaged } from '../../src/kb/load.js';
import { referenceStandard } from '../../src/kb/standard.js';
import type { Lang } from '../../src/kb/types.js';
import { cleanTempDirs, shopKb } from '../helpers/temp-kb.js';

function refused(files: Record<string, string>, expected: RegExp): void {
  assert.throws(
    () => loadKnowledgeBase(shopKb(files)),
    (e: unknown) => e instanceof KbError && expected.test(e.message),
  );
}

describe('the service standard in the knowledge base', () => {
  after(cleanTempDirs);
  const reference = referenceStandard(openPackaged);

  it('gives a KB without its own standard files the reference standard', () => {
    const kb = loadKnowledgeBase(shopKb());
    assert.equal(kb.escalation, reference.escalation);
    assert.equal(kb.tone, reference.tone);
    assert.deepEqual(kb.phrasing, reference.phrasing);
  });

  it("lets a KB's phrasing.yaml override one template and keep the rest", () => {
    const kb = loadKnowledgeBase(shopKb({ 'phrasing.yaml': 'phrases:\n  none.reply:\n    zh: 抱歉，这个问题我们记下了。\n    en: Sorry, we have noted your question.\n' }));
    assert.equal(kb.phrasing['none.reply']?.zh, '抱歉，这个问题我们记下了。');
    assert.deepEqual(kb.phrasing['voice.greeting'], reference.phrasing['voice.greeting']);
  });

  it('refuses a phrasing template with an unknown placeholder, naming file and line', () => {
    refused({ 'phrasing.yaml': 'phrases:\n  none.reply:\n    zh: 请等待{wiat}\n    en: Please wait {wait}\n' }, /phrasing\.yaml:3: phrases\.none\.reply\.zh: unknown placeholder \{wiat\}/);
  });

  it('refuses a phrasing template missing a language', () => {
    refused({ 'phrasing.yaml': 'phrases:\n  none.reply:\n    zh: 抱歉\n' }, /phrasing\.yaml:\d+: phrases\.none\.reply\.en: is required/);
  });

  it('refuses {title} outside a .named template', () => {
    refused({ 'phrasing.yaml': "phrases:\n  voice.greeting:\n    zh: '{title}您好'\n    en: 'Hello {title}'\n" }, /\{title\} is only for templates named \*\.named/);
  });

  it('refuses an escalation route to a team that does not exist', () => {
    refused({ 'escalation.yaml': ESCALATION.replace('routes: {}', 'routes: { shop: nobody }') }, /escalation\.yaml:\d+: routes\.shop: unknown team "nobody"/);
  });

  it('refuses a bad SLA duration and an unknown emotion level, with their lines', () => {
    refused({ 'escalation.yaml': ESCALATION.replace('firstResponse: 1m', 'firstResponse: soon') }, /escalation\.yaml:\d+: teams\[0\]\.sla\.firstResponse: must be a duration/);
    refused({ 'policy.yaml': POLICY.replace('emotionLevel: angry', 'emotionLevel: livid') }, /policy\.yaml:3: handoff\.emotionLevel: must be one of upset, angry, distressed/);
  });

  it('refuses intents.yaml without examples for an intent', () => {
    refused({ 'intents.yaml': 'intents:\n  greeting:\n    examples: [hi, hello, 你好]\n' }, /intents\.yaml:\d+: intents\.thanks: is required/);
  });

  describe('every reply the bot composes follows the tone rules', () => {
    const tone = new ToneChecker(reference.tone, reference.phrasing);
    const kb = loadKnowledgeBase(new URL('../../knowledge-base', import.meta.url).pathname);
    const dirty = (text: string, lang: Lang): string[] => tone.checkTone(text, lang).map((f) => `${f.kind} "${f.phrase}"`);

    it('in every phrasing template', () => {
      const problems = Object.entries(kb.phrasing).flatMap(([name, t]) => (['zh', 'en'] as const).flatMap((lang) => dirty(t[lang] ?? '', lang).map((p) => `${name}.${lang}: ${p}`)));
      assert.deepEqual(problems, []);
    });

    it('in every demo-KB answer', () => {
      const problems = kb.faqs.flatMap((faq) => (['zh', 'en'] as const).flatMap((lang) => dirty(faq.answer[lang] ?? '', lang).map((p) => `${faq.id}.${lang}: ${p}`)));
      assert.deepEqual(problems, []);
    });

    it('in every tone rewrite', () => {
      const problems = kb.tone.forbidden.flatMap((r) => dirty(r.rewrite, r.lang).map((p) => `${r.id}: ${p}`));
      assert.deepEqual(problems, []);
    });
  });
});

const ESCALATION = `followUp: 72h
teams:
  - id: general
    name: { zh: 综合客服组, en: the customer service team }
    channel: "#cs-general"
    supervisor: { name: 李静, slack: U01GENERAL1 }
    sla: { firstResponse: 1m, resolution: 24h }
routes: {}
complaints:
  coordinator: { team: general }
reasons: {}
urgent:
  sla: { firstResponse: 30s, resolution: 4h }
`;

const POLICY = `# policy
handoff:
  emotionLevel: angry
  consecutiveMisses: 2
  repeatedQuestion: 2
  risingTurns: 3
  multiQuestion: { questions: 3, minChars: 120 }
risks:
  safety: { zh: [冒烟], en: [caught fire] }
  fraud: { zh: [诈骗], en: [scam] }
  account_security: { zh: [账号被盗], en: [account hacked] }
  legal: { zh: [起诉], en: [lawyer] }
`;
