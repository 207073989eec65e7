/**
 * Reads a knowledge-base directory:
 *   faqs/*.yaml        FAQ entries, one file per category
 *   synonyms.yaml      editors' synonym groups (optional)
 *   negatives.yaml     messages not to answer (optional)
 *   categories.yaml    category display names (optional)
 *   settings.yaml      matcher thresholds (optional)
 *   shop.yaml, phrasing.yaml, intents.yaml, emotion.yaml, policy.yaml,
 *   tone.yaml, escalation.yaml   the shop and its service standard (optional; see standard.ts)
 * Everything is validated; any problem refuses the whole KB (never half-loaded).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KbError, type KbProblem } from './errors.js';
import { kbStandard } from './standard.js';
import { checkKeys, isRecord, readLocalized, readString, readStringList } from './validate.js';
import { YamlFile } from './yaml-file.js';
import { DEFAULT_SETTINGS, ID_PATTERN, type Category, type Faq, type KbSettings, type KnowledgeBase } from './types.js';

const FAQ_KEYS = ['id', 'category', 'question', 'alternates', 'answer', 'tags', 'handoff'];
/** A KB file larger than this is refused rather than parsed: it is a mistake, not an FAQ file. */
export const MAX_KB_FILE_BYTES = 5 * 1024 * 1024;

export function loadKnowledgeBase(dir: string): KnowledgeBase {
  const problems: KbProblem[] = [];
  const open = opener(dir, problems);
  const faqs = readFaqDir(dir, open, problems);
  const synonyms = readList(open('synonyms.yaml'), 'synonyms', problems, readSynonymGroup);
  const negatives = readList(open('negatives.yaml'), 'negatives', problems, (f, v, i) => readString(f, v, ['negatives', i]));
  const categories = readList(open('categories.yaml'), 'categories', problems, readCategory);
  const standard = kbStandard(open, openPackaged, problems);
  const settingsFile = open('settings.yaml');
  const settings = settingsFile ? collect(settingsFile, readSettings(settingsFile), problems) : DEFAULT_SETTINGS;
  checkFaqs(dir, faqs, problems);
  if (problems.length > 0) throw new KbError(problems);
  return { faqs, synonyms, negatives, categories, settings, ...standard };
}

/** Only the FAQs of a KB directory, validated as loadKnowledgeBase does: for callers that need no more. */
export function loadFaqs(dir: string): Faq[] {
  const problems: KbProblem[] = [];
  const faqs = readFaqDir(dir, opener(dir, problems), problems);
  checkFaqs(dir, faqs, problems);
  if (problems.length > 0) throw new KbError(problems);
  return faqs;
}

type Open = (name: string, required?: boolean) => YamlFile | undefined;

/** Opens a KB file by name, recording its problems; undefined when it is absent or broken. */
function opener(dir: string, problems: KbProblem[]): Open {
  return (name, required = false) => {
    const path = join(dir, name);
    if (!existsSync(path)) {
      if (required) problems.push({ code: 'KB_NOT_FOUND', file: path, line: 0, field: '', message: 'file not found' });
      return undefined;
    }
    const f = readYaml(path, relative(process.cwd(), path) || path);
    problems.push(...f.problems);
    return f.problems.length === 0 ? f : undefined;
  };
}

function readFaqDir(dir: string, open: Open, problems: KbProblem[]): Faq[] {
  const faqDir = join(dir, 'faqs');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw notFound(dir, 'knowledge-base directory not found');
  if (!existsSync(faqDir)) throw notFound(faqDir, 'no faqs/ folder: put FAQ files in faqs/*.yaml');
  const faqFiles = readdirSync(faqDir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const faqs = faqFiles.flatMap((name) => {
    const f = open(join('faqs', name));
    return f ? collect(f, readFaqFile(f), problems) : [];
  });
  return faqs;
}

/** Checks that need every FAQ file read (and, for emptiness, every other problem known). */
function checkFaqs(dir: string, faqs: readonly Faq[], problems: KbProblem[]): void {
  problems.push(...duplicateIds(faqs));
  if (faqs.length === 0 && problems.length === 0) problems.push({ code: 'KB_EMPTY', file: join(dir, 'faqs'), line: 0, field: '', message: 'no FAQs found' });
}

/** Opens a file of the package's own reference standard. */
export function openPackaged(path: string): YamlFile {
  return readYaml(path, relative(process.cwd(), path) || path);
}

export function readYaml(path: string, displayName: string): YamlFile {
  const size = statSync(path).size;
  if (size > MAX_KB_FILE_BYTES) {
    const f = new YamlFile(displayName, '');
    f.problems.push({ code: 'KB_SCHEMA', file: displayName, line: 0, field: '', message: `file is ${size} bytes; at most ${MAX_KB_FILE_BYTES} allowed` });
    return f;
  }
  return new YamlFile(displayName, readFileSync(path, 'utf8'));
}

function notFound(file: string, message: string): KbError {
  return new KbError([{ code: 'KB_NOT_FOUND', file, line: 0, field: '', message }]);
}

function collect<T>(f: YamlFile, value: T, problems: KbProblem[]): T {
  problems.push(...f.problems.splice(0));
  return value;
}

function readFaqFile(f: YamlFile): Faq[] {
  const root = f.value;
  if (!isRecord(root)) {
    f.problem([], 'an FAQ file must be a mapping with `category` and `faqs`');
    return [];
  }
  checkKeys(f, root, [], ['category', 'faqs']);
  const category = readString(f, root['category'], ['category']);
  if (category !== undefined && !ID_PATTERN.test(category)) f.problem(['category'], 'must be an id: letters, digits, - . _');
  const list = root['faqs'];
  if (!Array.isArray(list)) {
    f.problem(['faqs'], list === undefined ? 'is required: a list of FAQ entries' : 'must be a list of FAQ entries');
    return [];
  }
  return list.flatMap((item, i) => readFaq(f, item, i, category ?? '') ?? []);
}

function readFaq(f: YamlFile, v: unknown, i: number, fileCategory: string): Faq | undefined {
  const at = ['faqs', i];
  if (!isRecord(v)) {
    f.problem(at, 'each FAQ must be a mapping with id, question, answer, …');
    return undefined;
  }
  checkKeys(f, v, at, FAQ_KEYS);
  const id = readString(f, v['id'], [...at, 'id'], { required: true, max: 80 });
  if (id !== undefined && !ID_PATTERN.test(id)) f.problem([...at, 'id'], `"${id}" is not a valid id: use letters, digits, - . _ (at most 80)`);
  const category = v['category'] === undefined ? fileCategory : readString(f, v['category'], [...at, 'category']);
  const question = readLocalized(f, v['question'], [...at, 'question']);
  const answer = readLocalized(f, v['answer'], [...at, 'answer']);
  const alternates = readStringList(f, v['alternates'], [...at, 'alternates'], 500);
  const tags = readStringList(f, v['tags'], [...at, 'tags'], 60);
  const handoff = v['handoff'] ?? false;
  if (typeof handoff !== 'boolean') f.problem([...at, 'handoff'], 'must be true or false');
  if (!id || !question || !answer || !category) return undefined;
  return { id, category, question, alternates, answer, tags, handoff: handoff === true, source: { file: f.file, line: f.lineOf(at) } };
}

function readList<T>(f: YamlFile | undefined, key: string, problems: KbProblem[], read: (f: YamlFile, v: unknown, i: number) => T | undefined): T[] {
  if (!f) return [];
  const root = f.value;
  if (!isRecord(root) || !Array.isArray(root[key])) {
    f.problem(isRecord(root) ? [key] : [], `must be a mapping with a \`${key}\` list`);
    return collect(f, [], problems);
  }
  checkKeys(f, root, [], [key]);
  const out = (root[key] as unknown[]).map((v, i) => read(f, v, i)).filter((v): v is T => v !== undefined);
  return collect(f, out, problems);
}

function readSynonymGroup(f: YamlFile, v: unknown, i: number): string[] | undefined {
  const terms = readStringList(f, v, ['synonyms', i], 100);
  if (terms.length < 2) {
    f.problem(['synonyms', i], 'a synonym group needs at least two terms, e.g. [快递, 包裹]');
    return undefined;
  }
  return terms;
}

function readCategory(f: YamlFile, v: unknown, i: number): Category | undefined {
  if (!isRecord(v)) {
    f.problem(['categories', i], 'must be a mapping with id and name');
    return undefined;
  }
  checkKeys(f, v, ['categories', i], ['id', 'name']);
  const id = readString(f, v['id'], ['categories', i, 'id']);
  const name = readLocalized(f, v['name'], ['categories', i, 'name']);
  return id && name ? { id, name } : undefined;
}

function readSettings(f: YamlFile): KbSettings {
  const root = f.value;
  if (!isRecord(root)) {
    f.problem([], 'must be a mapping');
    return DEFAULT_SETTINGS;
  }
  checkKeys(f, root, [], ['answerThreshold', 'clarifyThreshold']);
  const read = (key: keyof KbSettings): number => {
    const v = root[key] ?? DEFAULT_SETTINGS[key];
    if (typeof v === 'number' && v >= 0 && v <= 1) return v;
    f.problem([key], 'must be a number between 0 and 1');
    return DEFAULT_SETTINGS[key];
  };
  const settings = { answerThreshold: read('answerThreshold'), clarifyThreshold: read('clarifyThreshold') };
  if (settings.clarifyThreshold > settings.answerThreshold) f.problem(['clarifyThreshold'], 'must not be above answerThreshold');
  return settings;
}

function duplicateIds(faqs: readonly Faq[]): KbProblem[] {
  const seen = new Map<string, Faq>();
  const problems: KbProblem[] = [];
  for (const faq of faqs) {
    const first = seen.get(faq.id);
    if (!first) {
      seen.set(faq.id, faq);
      continue;
    }
    const where = first.source ? `${first.source.file}:${first.source.line}` : 'another file';
    problems.push({ code: 'KB_DUPLICATE_ID', file: faq.source?.file ?? '', line: faq.source?.line ?? 0, field: 'id', message: `duplicate id "${faq.id}" (first defined at ${where})` });
  }
  return problems;
}
