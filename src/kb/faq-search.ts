/**
 * The admin page's FAQ search: the FAQs a query is about, best first. A
 * plain substring search finds "refund" in the answer of half the demo KB
 * (closing an account mentions refunds in passing), so each field weighs
 * what a hit there says about the FAQ: the id, question and tags name its
 * subject, the alternates how customers ask about it, the answer only what
 * it mentions. Results scoring well below the best are left out.
 *
 * Text is compared as the matcher sees it (normalize.ts: case, full-width,
 * Traditional Chinese folded; tokenize.ts: English stems, so "refunds"
 * finds "refund"). A Chinese query word that is not in a field as a whole
 * counts in part when most of its character pairs are.
 *
 * @example searchFaqs(kb.faqs, '退款') // refunds-progress, refunds-method, … (not account-delete)
 */
import { bigrams } from '../intents/bigrams.js';
import { normalize } from '../intents/normalize.js';
import { tokenize } from '../intents/tokenize.js';
import type { Faq } from './types.js';

/** How much a hit in each field says the FAQ is about the query. */
const WEIGHTS = { id: 6, question: 5, tags: 4, alternates: 3, answer: 1 } as const;
type Field = keyof typeof WEIGHTS;
/** Results below this share of the best score are noise beside it. */
const KEEP_SHARE = 0.3;
/** A shorter English word must match a whole word: "a" is not the start of every word. */
const MIN_PREFIX = 3;
/** A Chinese word counts in part when at least this share of its character pairs is in the field. */
const PARTIAL_SHARE = 0.5;

interface Term {
  readonly text: string;
  readonly script: 'han' | 'word';
}

/** The FAQs matching `query`, most relevant first (ties in file order); an exact id comes first. */
export function searchFaqs(faqs: readonly Faq[], query: string): Faq[] {
  const terms = termsOf(query);
  const id = query.trim().toLowerCase();
  const scored = faqs.map((faq, i) => ({ faq, i, score: faq.id.toLowerCase() === id ? Infinity : score(faq, terms) })).filter((s) => s.score > 0);
  const best = Math.max(0, ...scored.map((s) => s.score));
  return scored
    .filter((s) => s.score >= best * KEEP_SHARE || s.score === Infinity)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((s) => s.faq);
}

function termsOf(query: string): Term[] {
  return tokenize(normalize(query.replace(/[-_.]/g, ' '))).flatMap((t): Term[] => {
    if (t.script === 'han') return [{ text: t.surface, script: 'han' }];
    return t.term === '' ? [] : [{ text: t.term, script: 'word' }];
  });
}

function score(faq: Faq, terms: readonly Term[]): number {
  if (terms.length === 0) return 0;
  const fields: Record<Field, readonly string[]> = {
    id: [faq.id.replace(/[-_.]/g, ' ')],
    question: Object.values(faq.question),
    tags: faq.tags,
    alternates: faq.alternates,
    answer: Object.values(faq.answer),
  };
  const texts = Object.fromEntries(Object.entries(fields).map(([f, t]) => [f, t.map(searchable)])) as Record<Field, Searchable[]>;
  let total = 0;
  for (const term of terms) {
    for (const field of Object.keys(WEIGHTS) as Field[]) total += WEIGHTS[field] * Math.max(0, ...texts[field].map((s) => hit(s, term)));
  }
  return total;
}

interface Searchable {
  readonly text: string;
  /** English stems and words as written: "refu" finds "refund" while it is being typed. */
  readonly words: readonly { readonly stem: string; readonly surface: string }[];
}

/** The KB's texts, normalized once: normalizing every answer on every search costs a few hundred milliseconds. */
const prepared = new Map<string, Searchable>();
const PREPARED_LIMIT = 20_000;

function searchable(raw: string): Searchable {
  const known = prepared.get(raw);
  if (known) return known;
  const text = normalize(raw);
  const words = tokenize(text)
    .filter((t) => t.script !== 'han')
    .map((t) => ({ stem: t.term, surface: t.surface }));
  const s = { text, words };
  if (prepared.size < PREPARED_LIMIT) prepared.set(raw, s);
  return s;
}

/** 1 for a whole hit, a share for most of a Chinese word, 0 for none. */
function hit(s: Searchable, term: Term): number {
  if (term.script === 'word') return s.words.some((w) => w.stem === term.text || (term.text.length >= MIN_PREFIX && w.surface.startsWith(term.text))) ? 1 : 0;
  if (s.text.includes(term.text)) return 1;
  const grams = bigrams(term.text);
  if (grams.size < 2) return 0;
  const found = [...grams].filter((g) => s.text.includes(g)).length / grams.size;
  return found >= PARTIAL_SHARE ? found / 2 : 0;
}
