/**
 * Benchmark peer: MiniSearch full-text search (BM25) used as an FAQ matcher,
 * the way a developer would reach for it. Every training phrasing is one
 * document; the label of the best-scoring document wins.
 *
 * Tokenizer: MiniSearch's default splits on spaces/punctuation only (a Chinese
 * sentence would be a single token), so we split on non-letter/digit and emit
 * each CJK character as its own token (see cjk.ts). Terms are lower-cased by
 * MiniSearch's default processTerm.
 *
 * Score: MiniSearch's BM25 score s is unbounded (> 0), squashed as s / (s + 1)
 * into [0, 1). Monotone, so thresholds calibrated on it rank exactly like
 * raw BM25. It is NOT a probability: it grows with query length and word overlap.
 */
import MiniSearch from 'minisearch';
import { splitCjk } from './cjk.js';
import type { Example, Peer, Prediction } from './peer.js';

interface Doc {
  id: number;
  text: string;
  label: string;
}

const OOS: Prediction = { label: 'oos', score: 0 };

function newIndex(): MiniSearch<Doc> {
  return new MiniSearch<Doc>({
    fields: ['text'],
    storeFields: ['label'],
    tokenize: (s) => splitCjk(s),
    // MiniSearch's defaults (OR, exact terms). Fuzzy + prefix matching cost ~36 ms a query on
    // CLINC150's 15k phrasings (100× slower) for no accuracy we could measure.
    searchOptions: { combineWith: 'OR' },
  });
}

export function minisearchPeer(): Peer {
  let index = newIndex();
  return {
    name: 'MiniSearch (BM25)',
    async train(examples: readonly Example[]): Promise<void> {
      index = newIndex();
      index.addAll(examples.map((e, id) => ({ id, text: e.text, label: e.label })));
    },
    predict(text: string): Prediction {
      const top = index.search(text)[0];
      if (top === undefined) return OOS;
      return { label: String(top['label']), score: top.score / (top.score + 1) };
    },
  };
}
