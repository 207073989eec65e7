/**
 * `tact kb import FILE.csv --out DIR [--force] [--name-zh NAME] [--name-en NAME]`,
 * `tact kb export DIR --out FILE.csv`, `tact kb check [DIR]`. Import validates
 * the whole CSV (and the shop's name) before writing anything, and gives the
 * new KB a starter shop.yaml and escalation.yaml of its own; --force replaces
 * the FAQs only, never a shop.yaml or escalation.yaml that already exists.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvToFaqs, faqsToCsv } from '../kb/csv-faqs.js';
import { KbError } from '../kb/errors.js';
import { loadKnowledgeBase } from '../kb/load.js';
import { STANDARD_FILES } from '../kb/standard.js';
import { starterNameProblems, writeStarters } from '../kb/starter.js';
import type { Lang } from '../kb/types.js';
import { KbExistsError, writeFaqDir } from '../kb/write.js';
import { kbAdd } from './kb-add.js';
import { kbGaps } from './kb-gaps.js';
import { kbLint } from './kb-lint.js';
import { kbRemove } from './kb-remove.js';
import { kbTest } from './kb-test.js';
import { parse, resolveKbPath, UsageError } from './usage.js';

export async function kbCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'import':
      return importCsv(rest);
    case 'export':
      return exportCsv(rest);
    case 'check':
      return check(rest);
    case 'test':
      return kbTest(rest);
    case 'lint':
      return kbLint(rest);
    case 'gaps':
      return kbGaps(rest);
    case 'add':
      return kbAdd(rest);
    case 'remove':
      return kbRemove(rest);
    default:
      throw new UsageError(sub ? `unknown kb command "${sub}"` : 'kb needs a command: import, export, check, lint, test, gaps, add or remove');
  }
}

const IMPORT_USAGE = 'usage: tact kb import FILE.csv --out DIR [--force] [--name-zh NAME] [--name-en NAME]';

function importCsv(args: readonly string[]): number {
  const { values, positionals } = parse(args, { out: { type: 'string' }, force: { type: 'boolean' }, 'name-zh': { type: 'string' }, 'name-en': { type: 'string' } });
  const [file] = positionals;
  if (!file || !values.out) throw new UsageError(IMPORT_USAGE);
  const name = { ...(values['name-zh'] !== undefined ? { zh: values['name-zh'] } : {}), ...(values['name-en'] !== undefined ? { en: values['name-en'] } : {}) };
  const bad = starterNameProblems(name)[0];
  if (bad) throw new UsageError(`${nameFlag(bad.field, name)}: ${bad.message}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new KbError([{ code: 'KB_NOT_FOUND', file, line: 0, field: '', message: 'CSV file not found' }]);
  }
  const faqs = csvToFaqs(text, file);
  try {
    const written = writeFaqDir(values.out, faqs, { force: values.force === true });
    process.stdout.write(`imported ${faqs.length} FAQs into ${written.length} files under ${values.out}/faqs\n`);
  } catch (err) {
    if (err instanceof KbExistsError) throw new UsageError(err.message);
    throw err;
  }
  const starters = writeStarters(values.out, faqs.map((f) => f.category), name);
  for (const path of starters.written) process.stdout.write(`wrote a starter ${path}\n`);
  for (const path of starters.kept) process.stdout.write(`kept ${path} as it is${Object.keys(name).length > 0 && path.endsWith('shop.yaml') ? ' (--name-zh/--name-en not applied: edit its name)' : ''}\n`);
  if (starters.written.length > 0) process.stdout.write(`next: make it your shop — edit the values marked CHANGE ME, then run tact kb lint ${values.out}\n`);
  return 0;
}

/** The flag a problem with shop.yaml's name.zh or name.en came from: a name given in one language serves both. */
function nameFlag(field: string, given: Partial<Record<Lang, string>>): string {
  const lang: Lang = field === 'name.en' ? 'en' : 'zh';
  return given[lang] !== undefined ? `--name-${lang}` : `--name-${lang === 'zh' ? 'en' : 'zh'}`;
}

function exportCsv(args: readonly string[]): number {
  const { values, positionals } = parse(args, { out: { type: 'string' } });
  const dir = resolveKbPath(positionals[0]);
  if (!values.out) throw new UsageError('usage: tact kb export DIR --out FILE.csv');
  const kb = loadKnowledgeBase(dir);
  const tmp = `${values.out}.tmp-${process.pid}`;
  writeFileSync(tmp, faqsToCsv(kb.faqs));
  renameSync(tmp, values.out);
  process.stdout.write(`exported ${kb.faqs.length} FAQs to ${values.out}\n`);
  return 0;
}

function check(args: readonly string[]): number {
  const { positionals } = parse(args, {});
  const dir = resolveKbPath(positionals[0]);
  const kb = loadKnowledgeBase(dir);
  const phrasings = kb.faqs.reduce((n, f) => n + f.alternates.length + Object.keys(f.question).length, 0);
  process.stdout.write(`${dir}: ${kb.faqs.length} FAQs, ${phrasings} phrasings, ${kb.synonyms.length} synonym groups, ${kb.negatives.length} negative examples — OK\n`);
  const files = Object.values(STANDARD_FILES).map(([file]) => file);
  const own = files.filter((f) => existsSync(join(dir, f)));
  const inherited = files.filter((f) => !own.includes(f));
  process.stdout.write(`service standard: ${own.length ? `own ${own.join(', ')}` : 'no files of its own'}${inherited.length ? `; from the reference: ${inherited.join(', ')}` : ''}\n`);
  const unrouted = [...new Set(kb.faqs.map((f) => f.category))].filter((c) => kb.escalation.routes[c] === undefined);
  if (unrouted.length > 0) process.stdout.write(`note: no escalation route for ${unrouted.join(', ')}; handoffs about them go to the default team (${kb.shop.defaultTeam})\n`);
  return 0;
}
