/**
 * The benchmark's policy section: the whole decision core (match, intents,
 * emotion, risks, handoff policy) on labelled messages, scored with the
 * same `runCases`/`report` as `tact eval`, next to the issue's targets.
 * Three rows: two held-out shops (unseen CSV KBs, which inherit the
 * reference service standard: a lamp shop, and a skincare shop added after
 * the lamp shop's failures had been read, so it is the clean one) and the
 * demo KB's own regression cases.
 * Adds per-reason handoff recall, per-language FAQ top-1 and a reliability
 * table (bench/confidence-buckets.ts), and keeps the failing messages (in
 * the JSON) so a reader can see why a number is low.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { buildFaqIndex } from '../src/bot/core/faq-index.js';
import { isTop1, parseExpectation, report, runCases, type CaseOutcome, type EvalCase, type EvalReport } from '../src/eval/evaluate.js';
import { detectLang } from '../src/intents/analyze.js';
import { packageRoot } from '../src/kb/defaults.js';
import { languageData } from '../src/kb/language-data.js';
import { loadKbSource, readExamples } from '../src/kb/source.js';
import { buckets, judged, reliabilityTable, type Bucket } from './confidence-buckets.js';

/** The issue's targets, printed next to the numbers. */
/** The matcher issue's targets (wave 2) for every held-out shop. */
export const TARGETS = { faqTop1: 0.8, faqTop3: 0.95, faqWrong: 0.04, handoffRecall: 0.9, falseHandoffs: 0.05, oosNotAnswered: 0.9 } as const;

/** The held-out shops: bench/<dir>/faqs.csv (imported as `tact kb import` does) and bench/<dir>/policy.jsonl (labelled messages). */
export const HELD_OUT_SHOPS = [
  { name: 'held-out lamp shop', dir: 'heldout' },
  { name: 'held-out skincare shop', dir: 'heldout2' },
  { name: 'held-out electronics shop', dir: 'heldout3' },
  { name: 'held-out food delivery shop', dir: 'heldout4' },
  { name: 'held-out pet supplies shop', dir: 'heldout5' },
  { name: 'held-out outdoor gear shop', dir: 'heldout6' },
] as const;

/** The handoff reasons the held-out cases name, in the issue's order. */
const REASONS = ['requested', 'emotion', 'complaint', 'safety', 'fraud', 'account_security', 'legal', 'multi_question'] as const;
const LANGS = ['zh', 'zh-Hant', 'en'] as const;
type CaseLang = (typeof LANGS)[number];

interface PolicyCase extends EvalCase {
  readonly lang: CaseLang;
}

export interface PolicyFailure {
  readonly text: string;
  readonly lang: CaseLang;
  readonly expected: string;
  readonly got: string;
}

export interface PolicyRow {
  readonly name: string;
  readonly report: EvalReport;
  /** Per reason: cases, handed off at all, handed off for that reason. */
  readonly reasons: Record<string, { n: number; recall: number; rightReason: number }>;
  readonly faqTop1ByLang: Record<string, { n: number; top1: number }>;
  /** FAQ and out-of-scope cases per bucket of the top candidate's confidence, and the share right. */
  readonly reliability: readonly Bucket[];
  readonly failures: readonly PolicyFailure[];
}

export interface PolicySection {
  readonly rows: readonly PolicyRow[];
  readonly md: string;
}

// Character-level Taiwan → mainland table: a message it changes was typed in Traditional characters.
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** The case's own `lang` when given; otherwise English, Traditional or Simplified by its characters. */
function langOf(text: string, given: unknown): CaseLang {
  if (typeof given === 'string' && (LANGS as readonly string[]).includes(given)) return given as CaseLang;
  if (detectLang(text) === 'en') return 'en';
  return toSimplified(text) === text ? 'zh' : 'zh-Hant';
}

function readPolicyCases(path: string): PolicyCase[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  return readExamples(text, path).map((e) => {
    const raw = JSON.parse(lines[e.line - 1] as string) as Record<string, unknown>;
    return { text: e.text, expect: parseExpectation(e.label, e), lang: langOf(e.text, raw['lang']) };
  });
}

const ratio = (a: number, b: number): number => (b ? Math.round((a / b) * 10000) / 10000 : 0);

function reasonRecall(outcomes: readonly CaseOutcome[]): PolicyRow['reasons'] {
  const out: PolicyRow['reasons'] = {};
  for (const reason of REASONS) {
    const cases = outcomes.filter((o) => o.case.expect.kind === 'handoff' && o.case.expect.reason === reason);
    if (cases.length === 0) continue;
    const handed = cases.filter((o) => o.decision.action === 'handoff');
    out[reason] = { n: cases.length, recall: ratio(handed.length, cases.length), rightReason: ratio(handed.filter((o) => o.decision.handoffReason === reason).length, cases.length) };
  }
  return out;
}

function top1ByLang(outcomes: readonly CaseOutcome[], langs: readonly CaseLang[]): PolicyRow['faqTop1ByLang'] {
  const out: PolicyRow['faqTop1ByLang'] = {};
  for (const lang of LANGS) {
    const faq = outcomes.filter((o, i) => o.case.expect.kind === 'faq' && langs[i] === lang);
    if (faq.length) out[lang] = { n: faq.length, top1: ratio(faq.filter(isTop1).length, faq.length) };
  }
  return out;
}

function expectedLabel(c: EvalCase): string {
  const e = c.expect;
  switch (e.kind) {
    case 'faq':
      return e.faqId;
    case 'none':
      return 'oos';
    case 'handoff':
      return e.reason ? `handoff:${e.reason}` : 'handoff';
    case 'smalltalk':
      return e.intent ? `smalltalk:${e.intent}` : 'smalltalk';
  }
}

/** What the bot did, in the same words as the expectation. */
function gotLabel(o: CaseOutcome): string {
  const d = o.decision;
  if (d.action === 'handoff') return `handoff:${d.handoffReason}${d.faqId ? ` (${d.faqId})` : ''}`;
  if (d.action === 'answer') return d.faqId;
  if (d.action === 'smalltalk') return `smalltalk:${d.intent ?? '?'}`;
  return d.action;
}

/** Right on every count `report` makes: the FAQ answered (not handed off), no answer to out-of-scope, a handoff when due (any reason), small talk answered as such. */
function passed(o: CaseOutcome): boolean {
  const d = o.decision;
  switch (o.case.expect.kind) {
    case 'faq':
      return isTop1(o) && d.action === 'answer';
    case 'none':
      return d.action !== 'answer' && d.action !== 'handoff';
    case 'handoff':
      return d.action === 'handoff';
    case 'smalltalk':
      return d.action === 'smalltalk';
  }
}

function evaluate(name: string, kbPath: string, casesPath: string): PolicyRow {
  const index = buildFaqIndex(loadKbSource(kbPath), languageData());
  const cases = readPolicyCases(casesPath);
  const outcomes = runCases(index, cases, index.kb.settings);
  const failures = outcomes
    .map((o, i) => ({ o, lang: (cases[i] as PolicyCase).lang }))
    .filter(({ o }) => !passed(o))
    .map(({ o, lang }) => ({ text: o.case.text, lang, expected: expectedLabel(o.case), got: gotLabel(o) }));
  return { name, report: report(outcomes), reasons: reasonRecall(outcomes), faqTop1ByLang: top1ByLang(outcomes, cases.map((c) => c.lang)), reliability: buckets(judged(outcomes)), failures };
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : (v * 100).toFixed(1));
/** A value against its target: ✓ when met, ✗ when not. */
const vs = (v: number | undefined, target: number, atMost = false): string => (v === undefined ? '–' : `${pct(v)} ${(atMost ? v <= target : v >= target) ? '✓' : '✗'}`);

function mainTable(rows: readonly PolicyRow[]): string {
  const lines = [
    `| KB · cases | n | FAQ top-1 % (≥ ${pct(TARGETS.faqTop1)}) | FAQ top-3 % (≥ ${pct(TARGETS.faqTop3)}) | wrong FAQ % (≤ ${pct(TARGETS.faqWrong)}) | out-of-scope not answered % (≥ ${pct(TARGETS.oosNotAnswered)}) | handoff recall % (≥ ${pct(TARGETS.handoffRecall)}) | false handoffs % (≤ ${pct(TARGETS.falseHandoffs)}) | right reason % | small talk % | p50 / p99 ms |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { name, report: r } of rows) {
    const n = `${r.cases} (${r.faq?.n ?? 0} FAQ, ${r.oos?.n ?? 0} oos, ${r.handoff?.n ?? 0} handoff, ${r.smalltalk?.n ?? 0} small talk)`;
    lines.push(
      `| ${name} | ${n} | ${vs(r.faq?.top1, TARGETS.faqTop1)} | ${vs(r.faq?.top3, TARGETS.faqTop3)} | ${vs(r.faq?.wrong, TARGETS.faqWrong, true)} | ${vs(r.oos?.recall, TARGETS.oosNotAnswered)} | ${vs(r.handoff?.recall, TARGETS.handoffRecall)} | ${vs(r.handoff?.falseRate, TARGETS.falseHandoffs, true)} | ${pct(r.handoff?.reasonAccuracy)} | ${pct(r.smalltalk?.accuracy)} | ${r.latencyMs ? `${r.latencyMs.p50} / ${r.latencyMs.p99}` : '–'} |`,
    );
  }
  return lines.join('\n');
}

/** One column per KB row: `n: handed off % (for that reason %)`. */
function reasonTable(rows: readonly PolicyRow[]): string {
  const lines = [`| handoff reason | ${rows.map((r) => `${r.name}: n · handed off % · for that reason %`).join(' | ')} |`, `|---|${rows.map(() => '---|').join('')}`];
  for (const reason of REASONS) {
    const cells = rows.map((r) => {
      const s = r.reasons[reason];
      return s ? `${s.n} · ${pct(s.recall)} · ${pct(s.rightReason)}` : '–';
    });
    lines.push(`| ${reason} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function langTable(rows: readonly PolicyRow[]): string {
  const lines = [`| language | ${rows.map((r) => `${r.name}: n · FAQ top-1 %`).join(' | ')} |`, `|---|${rows.map(() => '---|').join('')}`];
  for (const lang of LANGS) lines.push(`| ${lang} | ${rows.map((r) => (r.faqTop1ByLang[lang] ? `${r.faqTop1ByLang[lang].n} · ${pct(r.faqTop1ByLang[lang].top1)}` : '–')).join(' | ')} |`);
  return lines.join('\n');
}

const NOTES = [
  '- held-out: bench/heldout/faqs.csv (unseen lamp shop, CSV KB on the reference service standard), cases bench/heldout/policy.jsonl with their own `lang`; bench/heldout2/ likewise for a skincare shop, written after the lamp shop\'s failures had been studied; bench/heldout3/ (electronics) and bench/heldout4/ (food delivery) were written in wave 2 by two authors each (FAQs, then messages by one who saw only the shop description and the CSV) and are the uncontaminated ones; bench/heldout5/ (pet supplies) and bench/heldout6/ (outdoor gear) likewise, added after calibrated confidence was settled and measured only since. demo: knowledge-base/ with knowledge-base/cases.jsonl (its handoff cases name no reason; language told by characters).',
  "- Each message is decided alone, as a first turn (`decide`), at the KB's own thresholds. FAQ top-1 counts an answer with the right FAQ (or that FAQ's own always-human handoff); out-of-scope counts anything but an FAQ answer; false handoffs are over every non-handoff case.",
  '- Reliability: FAQ and out-of-scope cases by the matcher\'s top candidate\'s confidence (whatever was decided), and the share whose top candidate is the right FAQ (out-of-scope cases are never right); handoff and small-talk cases are left out.',
  '- The failing messages are listed under `policy.rows[].failures` in the JSON.',
].join('\n');

export function runPolicySection(): PolicySection {
  const root = packageRoot();
  const rows = [
    ...HELD_OUT_SHOPS.map((s) => evaluate(s.name, join(root, 'bench', s.dir, 'faqs.csv'), join(root, 'bench', s.dir, 'policy.jsonl'))),
    evaluate('demo KB', join(root, 'knowledge-base'), join(root, 'knowledge-base', 'cases.jsonl')),
  ];
  const reliability = reliabilityTable(rows.map((r) => ({ name: r.name, buckets: r.reliability })));
  const md = `### Conversation policy on held-out messages\n\n${mainTable(rows)}\n\n${reasonTable(rows)}\n\n${langTable(rows)}\n\n${reliability}\n\n${NOTES}\n`;
  return { rows, md };
}
