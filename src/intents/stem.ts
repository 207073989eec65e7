/**
 * English stemming via natural's Porter stemmer. Only the stemmer module is
 * imported: `import 'natural'` loads every model it ships (~0.9 s) and prints dotenv lines.
 */
import { createRequire } from 'node:module';

interface Stemmer {
  stem(word: string): string;
}

const require = createRequire(import.meta.url);
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;
const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** Porter stem of one lower-case English word, memoized (the same words recur in every message). */
export function stem(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const stemmed = word.length <= 2 ? word : porter.stem(word);
  if (cache.size < CACHE_LIMIT) cache.set(word, stemmed);
  return stemmed;
}
