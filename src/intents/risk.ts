/**
 * Finds the topics that always go to a person — safety, fraud, account
 * security, legal — from the KB's policy.yaml: phrases that alone mean a
 * risk (冒烟了, caught fire), and a small classifier learned from example
 * messages for the wordings no phrase list foresees ("有人自称你们售后让我先转
 * 保证金"), trained against ordinary messages: questions that only sound
 * alike ("这个台灯会不会很烫"), small talk, the KB's own questions.
 */
import type { Analysis } from './analyze.js';
import type { Lexicon } from './lexicon.js';
import { DEFAULT_MATCHER_OPTIONS } from './matcher-options.js';
import { Matcher, NONE_LABEL, type MatcherSnapshot, type Phrasing } from './matcher.js';
import { sample } from './softmax.js';
import { TermSet } from './terms.js';
import { RISK_KINDS, type RiskKind, type RiskTopic } from '../kb/types.js';

export interface RiskHit {
  readonly kind: RiskKind;
  /** The phrase found, or the nearest example when the classifier decided. */
  readonly phrase: string;
}

/**
 * A risk handoff sends a calm customer to a person at once, so the classifier
 * must be sure: a missed risk still meets the other handoff rules, a false
 * one costs an agent.
 */
export const RISK_THRESHOLD = 0.6;
/** Ordinary questions sampled as counter-examples, besides the KB's `ordinary` list. */
const MAX_QUESTIONS = 1500;

export class RiskDetector {
  private readonly terms: TermSet<RiskKind>;
  private model: Matcher | null | undefined;

  constructor(
    private readonly risks: Readonly<Record<RiskKind, RiskTopic>>,
    private readonly ordinary: readonly string[],
    private readonly questions: readonly string[],
    private readonly lexicon: Lexicon,
    /** A stored build of the classifier for these risks and questions (null: none to build). */
    stored?: MatcherSnapshot | null,
  ) {
    this.terms = new TermSet(RISK_KINDS.flatMap((kind) => risks[kind].phrases.map((phrase) => ({ phrase, value: kind }))));
    if (stored !== undefined) this.model = stored && Matcher.restore(stored, lexicon, DEFAULT_MATCHER_OPTIONS);
  }

  /** The classifier as learned (built now if it was not yet), for storing; null when the KB gives no examples. */
  snapshot(): MatcherSnapshot | null {
    return this.classifier()?.snapshot() ?? null;
  }

  /** Risks in the message, most urgent first (the order of RISK_KINDS). */
  find(analysis: Analysis): RiskHit[] {
    const hits = this.terms.find(analysis.normalized, analysis.tokens).map((h) => ({ kind: h.value, phrase: h.phrase }));
    if (hits.length === 0 && analysis.normalized !== '') hits.push(...this.classify(analysis));
    return hits.sort((a, b) => RISK_KINDS.indexOf(a.kind) - RISK_KINDS.indexOf(b.kind));
  }

  private classify(analysis: Analysis): RiskHit[] {
    const model = this.classifier();
    const top = model?.matchAnalysis(analysis, 1);
    const best = top?.candidates[0];
    if (!top || !best || best.confidence < RISK_THRESHOLD || best.confidence <= top.noneScore) return [];
    return [{ kind: best.faqId as RiskKind, phrase: best.nearest }];
  }

  /** Built on first use (most messages of a benchmark never need it); null when the KB gives no examples. */
  private classifier(): Matcher | null {
    if (this.model !== undefined) return this.model;
    const phrasings: Phrasing[] = RISK_KINDS.flatMap((kind) => this.risks[kind].examples.map((text) => ({ text, label: kind, field: 'alternate' as const })));
    if (phrasings.length === 0) {
      this.model = null;
      return null;
    }
    const counter = [...this.ordinary, ...sample(this.questions, MAX_QUESTIONS)];
    for (const text of counter) phrasings.push({ text, label: NONE_LABEL, field: 'negative' });
    this.model = Matcher.build(phrasings, this.lexicon, DEFAULT_MATCHER_OPTIONS);
    return this.model;
  }
}
