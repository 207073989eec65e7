/**
 * A KB's regression cases (`tests.jsonl` beside its FAQs): messages with the
 * outcome an editor expects. Unlike the benchmark's cases, every one should
 * pass; an edit that makes one fail broke something a customer relied on.
 */
import type { Decision } from '../bot/core/decision.js';
import { isTop1, type CaseOutcome, type Expectation } from './evaluate.js';

export const TESTS_FILE = 'tests.jsonl';

export interface RegressionReport {
  readonly cases: number;
  readonly passed: number;
  readonly accuracy: number;
  readonly failures: readonly { readonly text: string; readonly expected: string; readonly got: string }[];
  /** expected → got, with how many failing cases share it, most first. */
  readonly confusions: readonly { readonly expected: string; readonly got: string; readonly n: number }[];
}

export function passes(o: CaseOutcome): boolean {
  const e = o.case.expect;
  const d = o.decision;
  switch (e.kind) {
    case 'faq':
      return isTop1(o);
    case 'none':
      return d.action !== 'answer' && d.handoffReason !== 'faq_always_human';
    case 'handoff':
      return d.action === 'handoff' && (e.reason === null || d.handoffReason === e.reason);
    case 'smalltalk':
      return d.action === 'smalltalk' && (e.intent === null || d.intent === e.intent);
  }
}

export function regressionReport(outcomes: readonly CaseOutcome[]): RegressionReport {
  const failed = outcomes.filter((o) => !passes(o));
  const failures = failed.map((o) => ({ text: o.case.text, expected: describeExpectation(o.case.expect), got: describeDecision(o.decision) }));
  const counts = new Map<string, { expected: string; got: string; n: number }>();
  for (const f of failures) {
    const key = `${f.expected}\u0000${f.got}`;
    const c = counts.get(key) ?? { expected: f.expected, got: f.got, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const passed = outcomes.length - failed.length;
  return {
    cases: outcomes.length,
    passed,
    accuracy: outcomes.length ? Math.round((1000 * passed) / outcomes.length) / 10 : 100,
    failures,
    confusions: [...counts.values()].sort((a, b) => b.n - a.n),
  };
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'faq':
      return e.faqId;
    case 'none':
      return 'none';
    case 'handoff':
      return e.reason ? `handoff:${e.reason}` : 'handoff';
    case 'smalltalk':
      return e.intent ? `smalltalk:${e.intent}` : 'smalltalk';
  }
}

export function describeDecision(d: Decision): string {
  switch (d.action) {
    case 'answer':
      return d.faqId;
    case 'handoff':
      return `handoff:${d.handoffReason}`;
    case 'smalltalk':
      return d.intent ? `smalltalk:${d.intent}` : 'smalltalk';
    case 'clarify':
      return `clarify(${d.suggestions.map((s) => s.faqId).join(',')})`;
    case 'none':
      return 'none';
  }
}
