/**
 * `tact kb lint`: what an editor should fix before an edit goes live.
 *
 *   error    the KB does not load (schema, duplicate ids, bad placeholders,
 *            broken YAML) — every problem, with file, line and field
 *   warning  an FAQ phrasing the matcher gives to another FAQ (the two are
 *            near-duplicates to customers too), an answer missing a language
 *            its question has, answers and templates with phrasing the tone
 *            rules forbid, categories with no escalation route, and a
 *            shop that still speaks as the demo shop or holds the import's
 *            placeholders (lint-shop.ts)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../bot/core/faq-index.js';
import { KbError } from '../kb/errors.js';
import type { LanguageData } from '../kb/language-data.js';
import { loadKnowledgeBase } from '../kb/load.js';
import type { Faq, Lang } from '../kb/types.js';
import type { LintFinding, LintSeverity } from './lint-finding.js';
import { shopFindings } from './lint-shop.js';

export type { LintFinding, LintSeverity };

const LANGS: readonly Lang[] = ['zh', 'en'];

export function lintKb(dir: string, builtin: LanguageData): LintFinding[] {
  let index: FaqIndex;
  try {
    index = buildFaqIndex(loadKnowledgeBase(dir), builtin);
  } catch (err) {
    if (!(err instanceof KbError)) throw err;
    return err.problems.map((p) => ({ severity: 'error', code: 'KB_INVALID', file: p.file, line: p.line, field: p.field, message: p.message }));
  }
  return [...shopFindings(dir, index.kb), ...confusions(index), ...missingLanguages(index), ...tone(index, dir), ...unrouted(index)];
}

/** Phrasings whose best match is another FAQ: customers asking this way get the wrong answer. */
function confusions(index: FaqIndex): LintFinding[] {
  return index.kb.faqs.flatMap((faq) =>
    [...Object.values(faq.question), ...faq.alternates].flatMap((text): LintFinding[] => {
      const top = index.matcher.match(text, 1).candidates[0];
      if (!top || top.faqId === faq.id) return [];
      return [at(faq, 'warning', 'CONFUSED', 'alternates', `"${text}" is matched to ${top.faqId} (confidence ${top.confidence.toFixed(2)}), not to ${faq.id}: the two FAQs overlap; make the phrasing more specific or merge them`)];
    }),
  );
}

function missingLanguages(index: FaqIndex): LintFinding[] {
  return index.kb.faqs.flatMap((faq) =>
    LANGS.filter((l) => faq.question[l] !== undefined && faq.answer[l] === undefined).map((l) => at(faq, 'warning', 'MISSING_LANGUAGE', `answer.${l}`, `the question is asked in ${l} but there is no ${l} answer; ${l} customers get the other language`)),
  );
}

/** Answers, and the KB's own phrasing templates, checked against the tone rules. */
function tone(index: FaqIndex, dir: string): LintFinding[] {
  const checker = index.tone;
  const answers = index.kb.faqs.flatMap((faq) =>
    LANGS.flatMap((l) => {
      const text = faq.answer[l];
      return text === undefined ? [] : checker.checkTone(text, l).filter((f) => f.kind !== 'missing_greeting').map((f) => at(faq, 'warning', 'TONE', `answer.${l}`, toneMessage(f.phrase, f.kind, f.rewrite)));
    }),
  );
  const own = join(dir, 'phrasing.yaml');
  if (!existsSync(own)) return answers;
  const templates = Object.entries(index.kb.phrasing).flatMap(([name, text]) =>
    LANGS.flatMap((l: Lang) => {
      const t = text[l];
      return t === undefined ? [] : checker.checkTone(t, l).filter((f) => f.kind !== 'missing_greeting' && f.kind !== 'missing_apology').map((f): LintFinding => ({ severity: 'warning', code: 'TONE', file: own, line: 0, field: `phrases.${name}.${l}`, message: toneMessage(f.phrase, f.kind, f.rewrite) }));
    }),
  );
  return [...answers, ...templates];
}

function unrouted(index: FaqIndex): LintFinding[] {
  const categories = [...new Set(index.kb.faqs.map((f) => f.category))].filter((c) => index.kb.escalation.routes[c] === undefined);
  return categories.map((c) => ({ severity: 'warning', code: 'UNROUTED_CATEGORY', file: 'escalation.yaml', line: 0, field: `routes.${c}`, message: `no escalation route for category ${c}: its handoffs go to the default team (${index.kb.shop.defaultTeam})` }));
}

function toneMessage(phrase: string, kind: string, rewrite: string): string {
  return `${phrase ? `"${phrase}" ` : ''}(${kind}) breaks the tone rules; the standard's wording: ${rewrite}`;
}

function at(faq: Faq, severity: LintSeverity, code: LintFinding['code'], field: string, message: string): LintFinding {
  return { severity, code, file: faq.source?.file ?? '', line: faq.source?.line ?? 0, field: `${faq.id}.${field}`, message };
}
