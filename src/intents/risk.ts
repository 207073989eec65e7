/**
 * Finds the topics that always go to a person — safety, fraud, account
 * security, legal — from the KB's policy.yaml phrase lists.
 */
import type { Analysis } from './analyze.js';
import { TermSet } from './terms.js';
import { RISK_KINDS, type RiskKind } from '../kb/types.js';

export interface RiskHit {
  readonly kind: RiskKind;
  readonly phrase: string;
}

export class RiskDetector {
  private readonly terms: TermSet<RiskKind>;

  constructor(risks: Readonly<Record<RiskKind, readonly string[]>>) {
    this.terms = new TermSet(RISK_KINDS.flatMap((kind) => risks[kind].map((phrase) => ({ phrase, value: kind }))));
  }

  /** Every risk phrase in the message, in the order of RISK_KINDS (most urgent first). */
  find(analysis: Analysis): RiskHit[] {
    const hits = this.terms.find(analysis.normalized, analysis.tokens).map((h) => ({ kind: h.value, phrase: h.phrase }));
    return hits.sort((a, b) => RISK_KINDS.indexOf(a.kind) - RISK_KINDS.indexOf(b.kind));
  }
}
