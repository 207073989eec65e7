/**
 * The language data every KB's index is built with: the built-in lexicon
 * and stopwords, and ordinary customer questions — the reference KB's FAQ
 * questions and alternates — which teach the intent classifier what is not
 * small talk, a complaint or a request for a person, even for a KB with a
 * handful of FAQs of its own.
 */
import { join } from 'node:path';
import { builtinLexicon, packageRoot } from './defaults.js';
import { loadFaqs } from './load.js';
import type { LexiconData } from './defaults.js';

export interface LanguageData extends LexiconData {
  readonly questions: readonly string[];
}

let cache: LanguageData | undefined;

export function languageData(): LanguageData {
  if (cache) return cache;
  const questions = loadFaqs(join(packageRoot(), 'knowledge-base')).flatMap((f) => [...Object.values(f.question), ...f.alternates]);
  cache = { ...builtinLexicon(), questions };
  return cache;
}
