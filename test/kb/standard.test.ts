import assert from 'node:assert/strict';
import { ToneChecker } from '../../src/bot/core/tone.js';
import { KbError } from '../../src/kb/errors.js';
import { loadKnowledgeBase, openPackaged } from '../../src/kb/load.js';
import { referenceStandard } from '../../src/kb/standard.js';
import { CONVERSATIONAL_INTENTS, HANDOFF_REASONS, type HandoffReason, type Lang } from '../../src/kb/types.js';
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

  it('refuses request words on an intent other than ask_human, and request words that are not a list', () => {
    const intents = `intents:\n${CONVERSATIONAL_INTENTS.map((i) => `  ${i}:\n    examples: [a${i}, b${i}, c${i}]\n`).join('')}`;
    const withWords = (intent: string, words: string): string => intents.replace(`  ${intent}:\n`, `  ${intent}:\n    requestWords: ${words}\n`);
    refused({ 'intents.yaml': withWords('complaint', '[经理]') }, /intents\.yaml:\d+: intents\.complaint\.requestWords: unknown field/);
    refused({ 'intents.yaml': withWords('ask_human', '经理') }, /intents\.yaml:\d+: intents\.ask_human\.requestWords: must be a list/);
    assert.deepEqual(loadKnowledgeBase(shopKb({ 'intents.yaml': withWords('ask_human', '[经理, agent]') })).intents.ask_human.requestWords, ['经理', 'agent']);
  });

  it("gives a KB's own intents.yaml that leaves out the job, partnership and press intents the reference's examples for them", () => {
    const required = CONVERSATIONAL_INTENTS.filter((i) => !['jobs', 'partnership', 'press'].includes(i));
    const own = `intents:\n${required.map((i) => `  ${i}:\n    examples: [a${i}, b${i}, c${i}]\n`).join('')}`;
    const kb = loadKnowledgeBase(shopKb({ 'intents.yaml': own }));
    assert.deepEqual(kb.intents.greeting.examples, ['agreeting', 'bgreeting', 'cgreeting']);
    assert.deepEqual(kb.intents.jobs, reference.intents.jobs);
    assert.ok(kb.intents.press.examples.length >= 3);
    refused({ 'intents.yaml': `${own}  jobs:\n    examples: [one]\n` }, /intents\.yaml:\d+: intents\.jobs\.examples: needs at least 3 examples/);
  });

  it('refuses intents.yaml without examples for an intent', () => {
    refused({ 'intents.yaml': 'intents:\n  greeting:\n    examples: [hi, hello, 你好]\n' }, /intents\.yaml:\d+: intents\.thanks: is required/);
  });

  describe('a handoff for an upset customer apologises first (apologise → explain → commit)', () => {
    /** What counts as an apology, in the first sentence of a reply. */
    const APOLOGY: Readonly<Record<Lang, RegExp>> = { zh: /抱歉|对不起|對不起|道歉|致歉/, en: /\bsorry\b|\bapologi[sz]e|\bapologies\b/i };
    const firstSentence = (text: string): string => /^[\s\S]*?(?:[。！？!?\n]|\.(?=\s|$)|$)/u.exec(text)?.[0] ?? text;
    /**
     * Every reason, sorted: the customer is upset or let down (open with an apology), the instruction that keeps them safe
     * comes first (safety, fraud: an apology follows it), or a calm request (no apology owed; its .upset variant opens with one).
     */
    const UPSET: readonly HandoffReason[] = ['emotion', 'complaint', 'legal', 'frustration', 'repeated_failure', 'account_security'];
    const SAFETY_FIRST: readonly HandoffReason[] = ['safety', 'fraud'];
    const CALM: readonly HandoffReason[] = ['requested', 'faq_always_human', 'multi_question'];
    const kb = loadKnowledgeBase(new URL('../../knowledge-base', import.meta.url).pathname);
    const templates = (name: string): [string, Lang, string][] =>
      Object.entries(kb.phrasing)
        .filter(([key]) => key === name || key.startsWith(`${name}.`))
        .flatMap(([key, t]) => (['zh', 'en'] as const).map((lang): [string, Lang, string] => [key, lang, t[lang] ?? '']));

    it('sorts every handoff reason into one of those kinds', () => {
      assert.deepEqual([...UPSET, ...SAFETY_FIRST, ...CALM].sort(), [...HANDOFF_REASONS].sort());
    });

    it('opens every handoff template for an upset, complaining or legal-threat customer with an apology, in zh and en', () => {
      // An "always human" FAQ answers in its own words: answer.handoff.upset puts the apology before them.
      const names = [...UPSET.map((r) => `handoff.${r}`), ...CALM.filter((r) => r !== 'faq_always_human').map((r) => `handoff.${r}.upset`), 'answer.handoff.upset', 'answer.reply.upset', 'complaint.ack'];
      const found = names.flatMap(templates);
      assert.ok(found.length >= names.length * 2, `templates: ${found.map(([k, l]) => `${k}.${l}`).join(', ')}`);
      const missing = found.filter(([, lang, text]) => !APOLOGY[lang].test(firstSentence(text))).map(([key, lang, text]) => `${key}.${lang}: ${text}`);
      assert.deepEqual(missing, []);
    });

    it('apologises after the safety instruction for a safety or fraud matter', () => {
      const missing = SAFETY_FIRST.flatMap((r) => templates(`handoff.${r}`)).filter(([, lang, text]) => !APOLOGY[lang].test(text));
      assert.deepEqual(missing, []);
    });

    it("has the agent's suggested first reply apologise before restating an upset customer's problem", () => {
      const late = UPSET.flatMap((r) => templates(`suggest.${r}`)).filter(([, lang, text]) => {
        const at = text.search(APOLOGY[lang]);
        return at < 0 || at > text.indexOf('{summary}');
      });
      assert.deepEqual(late.map(([key, lang]) => `${key}.${lang}`), []);
    });
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
