/**
 * FAQs ⇄ CSV in the import format:
 *   id,question,alternates,answer,category            (required header columns:
 *                                                      id, question, and answer or answer_zh/answer_en)
 *   optional: answer_zh, answer_en, question_zh, question_en, tags, handoff
 * Alternates and tags are separated by `|` (a literal pipe is written `\|`).
 * A lone `answer` (or `question`) counts for the language it is written in.
 * The whole file is validated before anything is returned: nothing is half-imported.
 */
import { detectLang } from '../intents/analyze.js';
import { parseCsv, stringifyCsv, type CsvRecord } from './csv.js';
import { KbError, type KbProblem } from './errors.js';
import { ID_PATTERN, type Faq, type Lang, type Localized } from './types.js';

const KNOWN = ['id', 'question', 'alternates', 'answer', 'category', 'answer_zh', 'answer_en', 'question_zh', 'question_en', 'tags', 'handoff'] as const;
type Column = (typeof KNOWN)[number];
export const EXPORT_HEADER: readonly Column[] = ['id', 'question', 'alternates', 'answer_zh', 'answer_en', 'category', 'question_en', 'tags', 'handoff'];
export const DEFAULT_CATEGORY = 'general';
const MAX_FIELD = 20_000;
export const MAX_CSV_ROWS = 50_000;

export function csvToFaqs(text: string, file: string): Faq[] {
  const records = parseCsv(text, file);
  const header = records[0];
  if (!header) throw new KbError([{ code: 'CSV_HEADER', file, line: 1, field: '', message: 'the file is empty; expected a header line id,question,alternates,answer,category' }]);
  const columns = readHeader(header, file);
  if (records.length - 1 > MAX_CSV_ROWS) throw new KbError([{ code: 'CSV_ROW', file, line: 0, field: '', message: `${records.length - 1} rows; at most ${MAX_CSV_ROWS} allowed` }]);
  const problems: KbProblem[] = [];
  const seen = new Map<string, number>();
  const faqs = records.slice(1).flatMap((rec) => {
    const faq = readRow(rec, columns, file, problems);
    if (!faq) return [];
    const first = seen.get(faq.id);
    if (first !== undefined) {
      problems.push({ code: 'KB_DUPLICATE_ID', file, line: rec.line, field: 'id', message: `duplicate id "${faq.id}" (first on line ${first})` });
      return [];
    }
    seen.set(faq.id, rec.line);
    return [faq];
  });
  if (problems.length > 0) throw new KbError(problems);
  return faqs;
}

function readHeader(header: CsvRecord, file: string): Map<Column, number> {
  const problems: KbProblem[] = [];
  const columns = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(KNOWN as readonly string[]).includes(name)) problems.push({ code: 'CSV_HEADER', file, line: header.line, field: raw, message: `unknown column "${raw}"; known columns: ${KNOWN.join(', ')}` });
    else if (columns.has(name as Column)) problems.push({ code: 'CSV_HEADER', file, line: header.line, field: raw, message: `column "${raw}" appears twice` });
    else columns.set(name as Column, i);
  });
  for (const required of ['id', 'question'] as const) {
    if (!columns.has(required)) problems.push({ code: 'CSV_HEADER', file, line: header.line, field: required, message: `missing required column "${required}"` });
  }
  if (!columns.has('answer') && !columns.has('answer_zh') && !columns.has('answer_en')) {
    problems.push({ code: 'CSV_HEADER', file, line: header.line, field: 'answer', message: 'missing an answer column (answer, answer_zh or answer_en)' });
  }
  if (problems.length > 0) throw new KbError(problems);
  return columns;
}

function readRow(rec: CsvRecord, columns: Map<Column, number>, file: string, problems: KbProblem[]): Faq | undefined {
  const before = problems.length;
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'CSV_ROW', file, line: rec.line, field, message });
  };
  if (rec.fields.length !== columns.size) bad('', `has ${rec.fields.length} fields; the header has ${columns.size} (an unquoted comma or a missing quote?)`);
  const get = (c: Column): string => {
    const v = (columns.has(c) ? rec.fields[columns.get(c) as number] ?? '' : '').trim();
    if (v.length > MAX_FIELD) bad(c, `is ${v.length} characters; at most ${MAX_FIELD} allowed`);
    return v;
  };
  const id = get('id');
  if (!id) bad('id', 'is empty');
  else if (!ID_PATTERN.test(id)) bad('id', `"${id.slice(0, 40)}" is not a valid id: use letters, digits, - . _ (at most 80)`);
  const question = localized(get('question'), get('question_zh'), get('question_en'));
  if (!question) bad('question', 'is empty');
  const answer = localized(get('answer'), get('answer_zh'), get('answer_en'));
  if (!answer) bad('answer', 'is empty (fill answer, answer_zh or answer_en)');
  const handoffText = get('handoff').toLowerCase();
  if (!['', 'true', 'false', 'yes', 'no', '1', '0'].includes(handoffText)) bad('handoff', `"${handoffText}" is not true/false`);
  const category = get('category') || DEFAULT_CATEGORY;
  if (!ID_PATTERN.test(category)) bad('category', `"${category.slice(0, 40)}" is not a valid category id: use letters, digits, - . _`);
  if (problems.length > before || !question || !answer) return undefined;
  return {
    id,
    category,
    question,
    answer,
    alternates: splitList(get('alternates')),
    tags: splitList(get('tags')),
    handoff: ['true', 'yes', '1'].includes(handoffText),
    source: { file, line: rec.line },
  };
}

/** A lone text goes under its detected language; explicit per-language columns win. */
function localized(lone: string, zh: string, en: string): Localized | undefined {
  const out: Partial<Record<Lang, string>> = {};
  if (lone) out[detectLang(lone)] = lone;
  if (zh) out.zh = zh;
  if (en) out.en = en;
  return out.zh || out.en ? out : undefined;
}

export function splitList(v: string): string[] {
  if (!v) return [];
  return v
    .split(/(?<!\\)\|/)
    .map((s) => s.replace(/\\\|/g, '|').trim())
    .filter((s) => s !== '');
}

function joinList(items: readonly string[]): string {
  return items.map((s) => s.replace(/\|/g, '\\|')).join('|');
}

/** The primary question goes in `question` (Chinese when there is one); the English one, if both, in `question_en`. */
export function faqsToCsv(faqs: readonly Faq[]): string {
  const rows = faqs.map((f) => {
    const primary = f.question.zh ?? f.question.en ?? '';
    const secondEn = f.question.zh && f.question.en ? f.question.en : '';
    return [f.id, primary, joinList(f.alternates), f.answer.zh ?? '', f.answer.en ?? '', f.category, secondEn, joinList(f.tags), f.handoff ? 'true' : ''];
  });
  return stringifyCsv([EXPORT_HEADER, ...rows]);
}
