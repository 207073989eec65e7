/** One thing `tact kb lint` reports, with where to fix it. */
export type LintSeverity = 'error' | 'warning';

export interface LintFinding {
  readonly severity: LintSeverity;
  readonly code: 'KB_INVALID' | 'CONFUSED' | 'MISSING_LANGUAGE' | 'TONE' | 'UNROUTED_CATEGORY' | 'PLACEHOLDER' | 'DEMO_SHOP';
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
}
