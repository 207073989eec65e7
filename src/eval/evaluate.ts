/**
 * Scores a KB against labelled cases: each case's expected value is an FAQ
 * id, `none`/`oos` (must not be answered), `handoff` (optionally with the
 * reason) or `smalltalk` (optionally with the intent).
 *   faq.top1        answered with the right FAQ (or its "always human" handoff)
 *   faq.top3        right FAQ answered, or among a clarification's suggestions (the
 *                   buttons the customer sees; a "none" shows none)
 *   faq.wrong       answered with another FAQ: the confidently wrong answers,
 *                   as a share of FAQ cases (a clarify or "none" is not wrong)
 *   oos.recall      out-of-scope cases not answered with an FAQ
 *   handoff         recall on `handoff` cases, false rate on all others,
 *                   and how often a recalled handoff names the expected reason
 *   smalltalk       small-talk cases answered as small talk
 */
import { decide, round } from '../bot/core/decide.js';
import type { Decision } from '../bot/core/decision.js';
import type { FaqIndex } from '../bot/core/faq-index.js';
import type { KbSettings } from '../kb/types.js';

export type Expectation =
  | { readonly kind: 'faq'; readonly faqId: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'handoff'; readonly reason: string | null }
  | { readonly kind: 'smalltalk'; readonly intent: string | null };

export interface EvalCase {
  readonly text: string;
  readonly expect: Expectation;
}

export interface EvalReport {
  readonly cases: number;
  readonly faq: { n: number; top1: number; top3: number; wrong: number } | null;
  readonly oos: { n: number; recall: number } | null;
  readonly handoff: { n: number; recall: number; falseRate: number; reasonAccuracy: number | null } | null;
  readonly smalltalk: { n: number; accuracy: number } | null;
  readonly latencyMs: { p50: number; p99: number } | null;
}

/** The matcher's best FAQ for a message, whether or not the decision used it. */
export interface TopCandidate {
  readonly faqId: string;
  readonly confidence: number;
}

export interface CaseOutcome {
  readonly case: EvalCase;
  readonly decision: Decision;
  readonly ms: number;
  /** Null when the message has nothing the matcher can rank (no FAQ shares a feature). */
  readonly top: TopCandidate | null;
}

export function parseExpectation(label: string, detail: { reason?: string; intent?: string } = {}): Expectation {
  const l = label.trim();
  if (l === 'none' || l === 'oos') return { kind: 'none' };
  if (l === 'handoff') return { kind: 'handoff', reason: detail.reason ?? null };
  if (l === 'smalltalk') return { kind: 'smalltalk', intent: detail.intent ?? null };
  return { kind: 'faq', faqId: l };
}

/** With policy off, the matcher alone decides: its top FAQ if confident enough, otherwise none (no clarify). */
export function matcherOnly(settings: KbSettings): KbSettings {
  return { answerThreshold: settings.clarifyThreshold, clarifyThreshold: settings.clarifyThreshold };
}

export function runCases(index: FaqIndex, cases: readonly EvalCase[], settings: KbSettings): CaseOutcome[] {
  // The intent and risk models are built on first use; build them before the clock starts.
  if (cases[0]) decide(index, cases[0].text, settings);
  const timed = cases.map((c) => {
    const start = process.hrtime.bigint();
    const decision = decide(index, c.text, settings);
    return { case: c, decision, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  });
  // A second pass, after the clock: its garbage must not trigger collections inside timed decisions.
  return timed.map((o) => ({ ...o, top: topCandidate(index, o.case.text) }));
}

/**
 * The top candidate, ranked again: below the clarify threshold a decision
 * names no FAQ, yet a reliability table needs to know whether the
 * matcher's first choice was right at every confidence.
 */
function topCandidate(index: FaqIndex, text: string): TopCandidate | null {
  const top = index.matcher.match(text, 1).candidates[0];
  return top ? { faqId: top.faqId, confidence: top.confidence } : null;
}

export function isTop1(o: Pick<CaseOutcome, 'case' | 'decision'>): boolean {
  return o.case.expect.kind === 'faq' && answeredFaq(o.decision) === o.case.expect.faqId;
}

/** The FAQ whose answer the customer got: an answer, or an "always human" FAQ's own answer as it hands over. */
function answeredFaq(d: Decision): string | null {
  if (d.action === 'answer') return d.faqId;
  return d.action === 'handoff' && d.handoffReason === 'faq_always_human' ? d.faqId : null;
}

/** Answered with an FAQ other than the expected one. */
function isWrong(o: CaseOutcome): boolean {
  if (o.case.expect.kind !== 'faq') return false;
  const answered = answeredFaq(o.decision);
  return answered !== null && answered !== o.case.expect.faqId;
}

function inTop3(o: CaseOutcome): boolean {
  if (o.case.expect.kind !== 'faq') return false;
  const id = o.case.expect.faqId;
  // Only a clarification shows its suggestions to the customer; a "none" or a handoff keeps them for the agent.
  return answeredFaq(o.decision) === id || (o.decision.action === 'clarify' && o.decision.suggestions.some((s) => s.faqId === id));
}

export function report(outcomes: readonly CaseOutcome[]): EvalReport {
  const faq = outcomes.filter((o) => o.case.expect.kind === 'faq');
  const oos = outcomes.filter((o) => o.case.expect.kind === 'none');
  const handoff = outcomes.filter((o) => o.case.expect.kind === 'handoff');
  const others = outcomes.filter((o) => o.case.expect.kind !== 'handoff');
  const smalltalk = outcomes.filter((o) => o.case.expect.kind === 'smalltalk');
  const recalled = handoff.filter((o) => o.decision.action === 'handoff' && expectedReason(o) !== null);
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    cases: outcomes.length,
    faq: faq.length ? { n: faq.length, top1: ratio(faq.filter(isTop1).length, faq.length), top3: ratio(faq.filter(inTop3).length, faq.length), wrong: ratio(faq.filter(isWrong).length, faq.length) } : null,
    oos: oos.length ? { n: oos.length, recall: ratio(oos.filter((o) => answeredFaq(o.decision) === null).length, oos.length) } : null,
    handoff: handoff.length
      ? {
          n: handoff.length,
          recall: ratio(handoff.filter((o) => o.decision.action === 'handoff').length, handoff.length),
          falseRate: others.length ? ratio(others.filter((o) => o.decision.action === 'handoff').length, others.length) : 0,
          reasonAccuracy: recalled.length ? ratio(recalled.filter((o) => o.decision.handoffReason === expectedReason(o)).length, recalled.length) : null,
        }
      : null,
    smalltalk: smalltalk.length ? { n: smalltalk.length, accuracy: ratio(smalltalk.filter((o) => o.decision.action === 'smalltalk').length, smalltalk.length) } : null,
    latencyMs: ms.length ? { p50: round(percentile(ms, 0.5)), p99: round(percentile(ms, 0.99)) } : null,
  };
}

function expectedReason(o: CaseOutcome): string | null {
  return o.case.expect.kind === 'handoff' ? o.case.expect.reason : null;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 10000) / 10000;
}
