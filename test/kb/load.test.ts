import assert from 'node:assert/strict';
import { KbError, type KbProblem } from '../../src/kb/errors.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { cleanTempDirs, shopKb, writeTree } from '../helpers/temp-kb.js';

function problems(files: Record<string, string>): KbProblem[] {
  try {
    loadKnowledgeBase(writeTree(files));
  } catch (err) {
    assert.ok(err instanceof KbError, String(err));
    return [...err.problems];
  }
  assert.fail('the KB was accepted');
}

const faq = (body: string): string => `category: shop\nfaqs:\n${body}`;

describe('loadKnowledgeBase', () => {
  after(cleanTempDirs);

  it('loads FAQs, synonyms, negatives and default phrasing', () => {
    const kb = loadKnowledgeBase(shopKb({ 'synonyms.yaml': 'synonyms:\n  - [快递, 包裹]\n' }));
    assert.equal(kb.faqs.length, 6);
    assert.equal(kb.faqs[0]?.category, 'shop');
    assert.deepEqual(kb.synonyms, [['快递', '包裹']]);
    assert.equal(kb.negatives.length, 3);
    assert.ok(kb.phrasing['none.reply']?.zh);
    assert.equal(kb.faqs.find((f) => f.id === 'account-hacked')?.handoff, true);
  });

  it('names file, line and field for a missing answer', () => {
    const [p] = problems({ 'faqs/a.yaml': faq('  - id: a1\n    question: { zh: 问题 }\n  - id: a2\n    question: { en: Question }\n') });
    assert.equal(p?.code, 'KB_SCHEMA');
    assert.match(p?.file ?? '', /faqs\/a\.yaml$/);
    assert.equal(p?.field, 'faqs[0].answer');
    assert.equal(p?.line, 3);
  });

  it('reports every problem in one pass, not just the first', () => {
    const ps = problems({ 'faqs/a.yaml': faq('  - id: a1\n    question: { zh: 问题 }\n  - id: a2\n    question: { en: Question }\n') });
    assert.deepEqual(ps.map((p) => p.field), ['faqs[0].answer', 'faqs[1].answer']);
  });

  it('refuses an invalid id, a wrong type and an unknown field', () => {
    const ps = problems({
      'faqs/a.yaml': faq('  - id: "bad id!"\n    question: { zh: 问 }\n    answer: { zh: 答 }\n    alternates: 不是列表\n    handof: true\n'),
    });
    assert.deepEqual(ps.map((p) => p.field).sort(), ['faqs[0].alternates', 'faqs[0].handof', 'faqs[0].id']);
    assert.equal(ps.find((p) => p.field === 'faqs[0].alternates')?.line, 6);
  });

  it('refuses an unknown language and an FAQ with no language', () => {
    const ps = problems({ 'faqs/a.yaml': faq('  - id: a\n    question: { fr: Bonjour }\n    answer: { zh: 答 }\n') });
    assert.ok(ps.some((p) => p.field === 'faqs[0].question.fr'));
    assert.ok(ps.some((p) => p.field === 'faqs[0].question' && /at least one/.test(p.message)));
  });

  it('points at the line of a YAML syntax error', () => {
    const [p] = problems({ 'faqs/a.yaml': 'category: shop\nfaqs:\n  - id: a\n    question: { zh: "unclosed }\n' });
    assert.equal(p?.code, 'KB_YAML_SYNTAX');
    assert.ok((p?.line ?? 0) >= 4);
  });

  it('refuses duplicate ids across files and says where the first one is', () => {
    const one = faq('  - id: dup\n    question: { zh: 问 }\n    answer: { zh: 答 }\n');
    const ps = problems({ 'faqs/a.yaml': one, 'faqs/b.yaml': one });
    assert.equal(ps[0]?.code, 'KB_DUPLICATE_ID');
    assert.match(ps[0]?.message ?? '', /a\.yaml:3/);
  });

  it('refuses a synonym group with one term and settings out of range', () => {
    const ps = problems({
      'faqs/a.yaml': faq('  - id: a\n    question: { zh: 问 }\n    answer: { zh: 答 }\n'),
      'synonyms.yaml': 'synonyms:\n  - [快递]\n',
      'settings.yaml': 'answerThreshold: 2\n',
    });
    assert.deepEqual(ps.map((p) => p.field).sort(), ['answerThreshold', 'synonyms[0]']);
  });

  it('refuses a KB without FAQs, and a missing folder, with a clear message', () => {
    assert.equal(problems({ 'faqs/.keep': '' })[0]?.code, 'KB_EMPTY');
    assert.throws(() => loadKnowledgeBase('/nonexistent/kb'), (e: unknown) => e instanceof KbError && e.code === 'KB_NOT_FOUND');
  });

  it('refuses an oversized file without parsing it', () => {
    const ps = problems({ 'faqs/a.yaml': `# ${'x'.repeat(6 * 1024 * 1024)}\n` });
    assert.match(ps[0]?.message ?? '', /at most/);
  });

  it('refuses a YAML alias bomb', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
    assert.throws(() => loadKnowledgeBase(writeTree({ 'faqs/a.yaml': bomb })));
  });
});
