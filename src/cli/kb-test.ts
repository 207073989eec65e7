/**
 * `tact kb test [DIR] [--json]`: runs the KB's regression cases
 * (DIR/tests.jsonl) and reports each failure (the message, what was
 * expected, what the bot did), the pass rate and the most common
 * confusions. Exit code 0 when every case passes, 1 when any fails, so an
 * editor (or CI) knows an edit broke nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildFaqIndex } from '../bot/core/faq-index.js';
import { runCases } from '../eval/evaluate.js';
import { regressionReport, TESTS_FILE, type RegressionReport } from '../eval/regression.js';
import { languageData } from '../kb/language-data.js';
import { loadKnowledgeBase } from '../kb/load.js';
import { readCases } from './eval.js';
import { parse, resolveKbPath, UsageError } from './usage.js';

export function kbTest(args: readonly string[]): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const dir = resolveKbPath(positionals[0]);
  const file = join(dir, TESTS_FILE);
  if (!existsSync(file)) throw new UsageError(`${file} not found: a KB's regression cases are one JSON object per line, {"text": "...", "expect": "<faq id | none | handoff | smalltalk>"}`);
  const index = buildFaqIndex(loadKnowledgeBase(dir), languageData());
  const report = regressionReport(runCases(index, readCases(file), index.kb.settings));
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : format(report, file));
  return report.failures.length === 0 ? 0 : 1;
}

function format(r: RegressionReport, file: string): string {
  const lines = [`${file}: ${r.passed} of ${r.cases} cases pass (${r.accuracy}%)`];
  for (const f of r.failures) lines.push(`  ✗ ${JSON.stringify(f.text)}: expected ${f.expected}, got ${f.got}`);
  if (r.confusions.length > 0) {
    lines.push('confusions (expected → got):');
    for (const c of r.confusions.slice(0, 10)) lines.push(`  ${c.expected} → ${c.got}: ${c.n}`);
  }
  return `${lines.join('\n')}\n`;
}
