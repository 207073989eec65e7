/**
 * Coded errors for everything that crosses the KB boundary. Each names the
 * file, line and field so an editor can go straight to the mistake.
 */
export type KbErrorCode =
  | 'KB_NOT_FOUND'
  | 'KB_YAML_SYNTAX'
  | 'KB_SCHEMA'
  | 'KB_DUPLICATE_ID'
  | 'KB_EMPTY'
  | 'CSV_SYNTAX'
  | 'CSV_HEADER'
  | 'CSV_ROW'
  | 'CASES_SYNTAX';

export interface KbProblem {
  readonly code: KbErrorCode;
  readonly file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  readonly line: number;
  /** Dotted path of the field, e.g. `faqs[3].answer.zh`, or a CSV column name. */
  readonly field: string;
  readonly message: string;
}

export function formatProblem(p: KbProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message} [${p.code}]`;
}

/** Thrown when a KB, CSV or cases file is refused; carries every problem found, not just the first. */
export class KbError extends Error {
  readonly code: KbErrorCode;
  constructor(readonly problems: readonly KbProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'KbError';
    this.code = (problems[0] as KbProblem).code;
  }
}
