/**
 * The built-in lexicon's files: `lexicon/customer-service.yaml` and every
 * `lexicon/topics/*.yaml` (one topic of e-commerce each), read in name
 * order and merged by concept id, so a topic file may add phrases to a
 * concept another file defines. A phrase belongs to one concept only: the
 * same phrase (after folding Traditional to Simplified, lower case and
 * English stemming) under two concepts is refused, naming both files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConceptGroup } from '../intents/lexicon.js';
import { normalize } from '../intents/normalize.js';
import { tokenize } from '../intents/tokenize.js';
import { KbError, type KbProblem } from './errors.js';
import { isRecord, readStringList } from './validate.js';
import { YamlFile } from './yaml-file.js';

export function lexiconFiles(dir: string): string[] {
  const topics = join(dir, 'topics');
  const topicFiles = existsSync(topics) ? readdirSync(topics).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(topics, f)) : [];
  return [join(dir, 'customer-service.yaml'), ...topicFiles];
}

/** The concept ids listed under `asking:` in a lexicon file (each must be one of the file's concepts). */
export function readAsking(path: string): string[] {
  const f = new YamlFile(path, readFileSync(path, 'utf8'));
  const root = f.value;
  if (!isRecord(root) || root['asking'] === undefined) return [];
  const ids = readStringList(f, root['asking'], ['asking'], 40);
  const concepts = isRecord(root['concepts']) ? root['concepts'] : {};
  ids.forEach((id, i) => {
    if (!(id in concepts)) f.problem(['asking', i], `"${id}" is not a concept of this file`);
  });
  if (f.problems.length > 0) throw new KbError(f.problems);
  return ids;
}

/** Every file's concepts, merged by id; a phrase under two concepts is an error. */
export function readLexiconFiles(files: readonly string[]): ConceptGroup[] {
  const merged = new Map<string, string[]>();
  const owner = new Map<string, { concept: string; file: string }>();
  const problems: KbProblem[] = [];
  for (const file of files) {
    for (const group of readLexicon(file)) {
      const terms = merged.get(group.id) ?? [];
      for (const term of group.terms) {
        const key = termKey(term);
        const first = owner.get(key);
        if (first && first.concept !== group.id) {
          problems.push({ code: 'KB_SCHEMA', file, line: 0, field: `concepts.${group.id}`, message: `"${term}" is already a phrase of concept ${first.concept} (${first.file}); a phrase belongs to one concept only` });
          continue;
        }
        if (first) continue;
        owner.set(key, { concept: group.id, file });
        terms.push(term);
      }
      merged.set(group.id, terms);
    }
  }
  if (problems.length > 0) throw new KbError(problems);
  return [...merged].map(([id, terms]) => ({ id, terms }));
}

/** A phrase as the matcher sees it: folded, lower case, English words stemmed. */
function termKey(term: string): string {
  return tokenize(normalize(term))
    .map((t) => t.term)
    .join(' ');
}

/** One lexicon file's concepts, checked: a mapping of concept id → {zh, en} lists of phrases. */
export function readLexicon(path: string): ConceptGroup[] {
  const f = new YamlFile(path, readFileSync(path, 'utf8'));
  if (f.problems.length > 0) throw new KbError(f.problems);
  const root = f.value;
  if (!isRecord(root) || !isRecord(root['concepts'])) throw new KbError([{ code: 'KB_SCHEMA', file: path, line: 1, field: 'concepts', message: 'must be a mapping of concept id → {zh, en}' }]);
  const groups = Object.entries(root['concepts']).map(([id, v]) => ({
    id,
    terms: isRecord(v) ? [...readStringList(f, v['zh'], ['concepts', id, 'zh'], 40), ...readStringList(f, v['en'], ['concepts', id, 'en'], 40)] : [],
  }));
  if (f.problems.length > 0) throw new KbError(f.problems);
  return groups;
}
