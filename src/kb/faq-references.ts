/**
 * What else in a KB names an FAQ by its id: the cases of its JSON Lines
 * files (tests.jsonl's regression cases, cases.jsonl's evaluation set),
 * `{"text": …, "expect": "<faq id>"}` (or "label"). Removing an FAQ they
 * expect would make each of them fail for a reason nobody sees in the
 * diff, so a removal is refused while any remains (see edit.ts).
 *
 * The audit log is a JSON Lines file too, but it records history: it is
 * not a reference.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceRef } from './types.js';

export function faqReferences(dir: string, id: string, auditLog: string): SourceRef[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && name !== auditLog)
    .sort();
  return files.flatMap((name) => referencesIn(name, readFileSync(join(dir, name), 'utf8'), id));
}

function referencesIn(file: string, text: string, id: string): SourceRef[] {
  return text.split('\n').flatMap((line, i) => (expects(line, id) ? [{ file, line: i + 1 }] : []));
}

/** A line that does not parse still counts when it plainly names the id: `tact kb test` reports it as broken, and it is still meant for this FAQ. */
function expects(line: string, id: string): boolean {
  if (line.trim() === '') return false;
  try {
    const rec: unknown = JSON.parse(line);
    if (typeof rec !== 'object' || rec === null) return false;
    const { expect, label } = rec as Record<string, unknown>;
    return expect === id || label === id;
  } catch {
    return line.includes(JSON.stringify(id));
  }
}
