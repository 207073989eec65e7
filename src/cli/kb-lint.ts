/**
 * `tact kb lint [DIR] [--json]`: errors (the KB does not load) and warnings
 * (overlapping FAQs, missing languages, tone, unrouted categories, the
 * import's placeholders, the demo shop's name or teams), one per line with
 * file, line and field. Exit code 2 on errors, 0 with warnings only.
 */
import { lintKb, type LintFinding } from '../eval/lint.js';
import { languageData } from '../kb/language-data.js';
import { parse, resolveKbPath } from './usage.js';

export function kbLint(args: readonly string[]): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const dir = resolveKbPath(positionals[0]);
  const findings = lintKb(dir, languageData());
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (values.json) process.stdout.write(`${JSON.stringify({ errors, warnings: findings.length - errors, findings })}\n`);
  else process.stdout.write(format(dir, findings, errors));
  return errors > 0 ? 2 : 0;
}

function format(dir: string, findings: readonly LintFinding[], errors: number): string {
  const lines = findings.map((f) => `${f.severity} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.field ? `${f.field}: ` : ''}${f.message}`);
  lines.push(`${dir}: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
