/**
 * Loads a knowledge base from any of the forms the CLI accepts: a KB
 * directory, a `.csv` in the import format, or a `.jsonl` of
 * `{"text", "label"}` training examples (each label becomes an FAQ whose
 * phrasings are its texts; label `oos` rows become negative examples).
 */
import { readFileSync, statSync } from 'node:fs';
import { detectLang } from '../intents/analyze.js';
import { KbError, type KbProblem } from './errors.js';
import { csvToFaqs } from './csv-faqs.js';
import { loadKnowledgeBase, openPackaged } from './load.js';
import { referenceStandard } from './standard.js';
import { DEFAULT_SETTINGS, type Faq, type KnowledgeBase } from './types.js';

export const OOS_LABEL = 'oos';
const MAX_SOURCE_BYTES = 200 * 1024 * 1024;

export function loadKbSource(path: string): KnowledgeBase {
  let size: number;
  let isDir: boolean;
  try {
    const st = statSync(path);
    size = st.size;
    isDir = st.isDirectory();
  } catch {
    throw new KbError([{ code: 'KB_NOT_FOUND', file: path, line: 0, field: '', message: 'not found (expected a KB directory, a .csv or a .jsonl file)' }]);
  }
  if (isDir) return loadKnowledgeBase(path);
  if (size > MAX_SOURCE_BYTES) throw new KbError([{ code: 'KB_SCHEMA', file: path, line: 0, field: '', message: `file is ${size} bytes; too large` }]);
  const text = readFileSync(path, 'utf8');
  if (/\.csv$/i.test(path)) return fromFaqs(csvToFaqs(text, path), []);
  if (/\.jsonl$/i.test(path)) return fromExamples(readExamples(text, path));
  throw new KbError([{ code: 'KB_NOT_FOUND', file: path, line: 0, field: '', message: 'unknown KB format: use a directory, .csv or .jsonl' }]);
}

function fromFaqs(faqs: Faq[], negatives: string[]): KnowledgeBase {
  return { faqs, synonyms: [], negatives, categories: [], settings: DEFAULT_SETTINGS, ...referenceStandard(openPackaged) };
}

export interface LabelledText {
  readonly text: string;
  readonly label: string;
  readonly line: number;
  /** Evaluation cases may say which handoff reason or small-talk intent they expect. */
  readonly reason?: string;
  readonly intent?: string;
}

/** Reads JSON Lines of `{"text", "label"}` (or `"expect"`), reporting bad lines by number. */
export function readExamples(text: string, file: string): LabelledText[] {
  const problems: KbProblem[] = [];
  const out: LabelledText[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const bad = (message: string): void => {
      problems.push({ code: 'CASES_SYNTAX', file, line: i + 1, field: '', message });
    };
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      return bad('not valid JSON');
    }
    if (typeof v !== 'object' || v === null) return bad('must be an object with "text" and "label"');
    const rec = v as Record<string, unknown>;
    const label = rec['label'] ?? rec['expect'];
    if (typeof rec['text'] !== 'string') return bad('"text" must be a string');
    if (typeof label !== 'string' || label === '') return bad('"label" (or "expect") must be a non-empty string');
    const extra = (key: 'reason' | 'intent'): Partial<Record<typeof key, string>> => (typeof rec[key] === 'string' && rec[key] !== '' ? { [key]: rec[key] as string } : {});
    out.push({ text: rec['text'], label, line: i + 1, ...extra('reason'), ...extra('intent') });
  });
  if (problems.length > 0) throw new KbError(problems.slice(0, 50));
  return out;
}

function fromExamples(examples: LabelledText[]): KnowledgeBase {
  const byLabel = new Map<string, string[]>();
  const negatives: string[] = [];
  for (const ex of examples) {
    if (ex.label === OOS_LABEL) {
      negatives.push(ex.text);
      continue;
    }
    const list = byLabel.get(ex.label);
    if (list) list.push(ex.text);
    else byLabel.set(ex.label, [ex.text]);
  }
  const faqs = [...byLabel].map(([label, texts]): Faq => ({
    id: label,
    category: 'intents',
    question: { [detectLang(texts[0] as string)]: texts[0] as string },
    alternates: texts.slice(1),
    answer: { [detectLang(texts[0] as string)]: `(${label})` },
    tags: [],
    handoff: false,
  }));
  return fromFaqs(faqs, negatives);
}
