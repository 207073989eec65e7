/**
 * `tact eval --kb PATH --cases FILE.jsonl [--valid FILE.jsonl] [--policy off] [--json]`
 * Scores the KB on labelled cases; `--valid` calibrates the thresholds first;
 * `--policy off` scores the matcher alone (no clarify step).
 */
import { readFileSync } from 'node:fs';
import type { FaqIndex } from '../bot/core/faq-index.js';
import { calibrate } from '../eval/calibrate.js';
import { matcherOnly, parseExpectation, report, runCases, type CaseOutcome, type EvalCase, type EvalReport } from '../eval/evaluate.js';
import { KbError } from '../kb/errors.js';
import type { KbSettings } from '../kb/types.js';
import { readExamples } from '../kb/source.js';
import { openIndex, parse, UsageError } from './usage.js';

export function evalCommand(args: readonly string[]): number {
  const { values } = parse(args, {
    kb: { type: 'string' },
    cases: { type: 'string' },
    valid: { type: 'string' },
    policy: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!values.cases) throw new UsageError('eval needs --cases FILE.jsonl');
  if (values.policy !== undefined && values.policy !== 'off' && values.policy !== 'on') throw new UsageError('--policy must be on or off');
  const cases = readCases(values.cases);
  const index = openIndex(values.kb);
  const { settings, outcomes } = scoreCases(index, cases, values.valid ? readCases(values.valid) : undefined, values.policy === 'off' ? 'off' : 'on');
  const result = report(outcomes);
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatReport(result, settings));
  return 0;
}

export interface ScoredRun {
  readonly settings: KbSettings;
  readonly outcomes: CaseOutcome[];
}

/** What `eval` does with a built KB: thresholds calibrated on the validation cases if any (else the KB's), then every case decided. The bench runs public datasets through this too. */
export function scoreCases(index: FaqIndex, cases: readonly EvalCase[], valid: readonly EvalCase[] | undefined, policy: 'on' | 'off'): ScoredRun {
  const tuned = valid ? calibrate(index, valid) : index.kb.settings;
  const settings = policy === 'off' ? matcherOnly(tuned) : tuned;
  return { settings, outcomes: runCases(index, cases, settings) };
}

export function readCases(path: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new KbError([{ code: 'KB_NOT_FOUND', file: path, line: 0, field: '', message: 'cases file not found' }]);
  }
  return readExamples(text, path).map((e) => ({ text: e.text, expect: parseExpectation(e.label, e) }));
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function formatReport(r: EvalReport, s: { answerThreshold: number; clarifyThreshold: number }): string {
  const lines = [`cases: ${r.cases}   thresholds: answer ≥ ${s.answerThreshold}, none < ${s.clarifyThreshold}`];
  if (r.faq) lines.push(`FAQ cases: ${r.faq.n}   top-1 ${pct(r.faq.top1)}   top-3 ${pct(r.faq.top3)}   wrong ${pct(r.faq.wrong)}`);
  if (r.oos) lines.push(`out-of-scope cases: ${r.oos.n}   recall ${pct(r.oos.recall)}`);
  if (r.handoff) lines.push(`handoff cases: ${r.handoff.n}   recall ${pct(r.handoff.recall)}   false handoffs ${pct(r.handoff.falseRate)}${r.handoff.reasonAccuracy !== null ? `   right reason ${pct(r.handoff.reasonAccuracy)}` : ''}`);
  if (r.smalltalk) lines.push(`small-talk cases: ${r.smalltalk.n}   answered as small talk ${pct(r.smalltalk.accuracy)}`);
  if (r.latencyMs) lines.push(`latency: p50 ${r.latencyMs.p50} ms   p99 ${r.latencyMs.p99} ms`);
  return `${lines.join('\n')}\n`;
}
