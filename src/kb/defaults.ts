/**
 * Data shipped with Tact itself (not with one KB): the built-in bilingual
 * customer-service lexicon and stopwords, YAML files in the package,
 * validated like any KB file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConceptGroup } from '../intents/lexicon.js';
import type { ReplyMeaning, ReplyWords } from '../intents/reply.js';
import { KbError } from './errors.js';
import { lexiconFiles, readAsking, readLexiconFiles } from './lexicon-files.js';
import { checkKeys, isRecord, readStringList, readZhEnLists } from './validate.js';
import { YamlFile } from './yaml-file.js';

/** The package root: the nearest folder above this module with Tact's package.json (works from src/ and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'lexicon'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Tact package root (package.json next to lexicon/)');
    dir = up;
  }
  return dir;
}

/** The language data every KB gets: concept groups and function words. */
export interface LexiconData {
  /** Concepts that only ask (when, how much …): no evidence for an FAQ on their own. */
  readonly asking: readonly string[];
  readonly concepts: readonly ConceptGroup[];
  readonly stopwords: readonly string[];
}

let lexiconCache: LexiconData | undefined;

/** The built-in customer-service lexicon and stopwords every KB gets. */
export function builtinLexicon(): LexiconData {
  lexiconCache ??= {
    concepts: readLexiconFiles(lexiconFiles(join(packageRoot(), 'lexicon'))),
    asking: readAsking(join(packageRoot(), 'lexicon', 'customer-service.yaml')),
    stopwords: readStopwords(join(packageRoot(), 'lexicon', 'stopwords.yaml')),
  };
  return lexiconCache;
}

export function readStopwords(path: string): string[] {
  const f = parse(path);
  const root = f.value;
  const words = isRecord(root) ? [...readStringList(f, root['zh'], ['zh'], 20), ...readStringList(f, root['en'], ['en'], 20)] : [];
  if (!isRecord(root)) f.problem([], 'must be a mapping with zh and en lists');
  if (f.problems.length > 0) throw new KbError(f.problems);
  return words;
}

let repliesCache: ReplyWords | undefined;

/** How customers say yes, no or "skip" in their own words, zh and en. */
export function builtinReplies(): ReplyWords {
  repliesCache ??= readReplies(join(packageRoot(), 'lexicon', 'replies.yaml'));
  return repliesCache;
}

export function readReplies(path: string): ReplyWords {
  const f = parse(path);
  const root = f.value;
  const list = (meaning: ReplyMeaning): string[] => readZhEnLists(f, root, meaning, 40);
  // Fillers and particles are optional: without them a reply is compared as typed.
  const optional = (key: 'fillers' | 'particles'): string[] => readZhEnLists(f, root, key, 40, true);
  if (isRecord(root)) checkKeys(f, root, [], ['yes', 'no', 'skip', 'fillers', 'particles']);
  const words = { yes: list('yes'), no: list('no'), skip: list('skip'), fillers: optional('fillers'), particles: optional('particles') };
  if (f.problems.length > 0) throw new KbError(f.problems);
  return words;
}

function parse(path: string): YamlFile {
  const f = new YamlFile(path, readFileSync(path, 'utf8'));
  if (f.problems.length > 0) throw new KbError(f.problems);
  return f;
}

