/**
 * Benchmark peer: natural's BayesClassifier (multinomial-ish naive Bayes over
 * binary word features), used as a natural user would: addDocument for every
 * training phrasing (`oos` is just another class), train(), getClassifications.
 *
 * Only the classifier module is required: `import 'natural'` loads every model
 * it ships (~0.9 s) and prints dotenv lines.
 *
 * Tokens: natural's default stemmer (Porter + aggressive tokenizer + English
 * stop-word removal) drops CJK entirely, so the stemmer we pass keeps that
 * behaviour for the non-CJK part and adds each CJK character as a token.
 *
 * Score: natural returns prior × Π P(feature|class) per class, unnormalised;
 * we normalise over all classes so the score is the posterior P(label | text)
 * (sums to 1 over classes). If every value underflows to 0 (very long input),
 * the posterior is recomputed in log space from the classifier's counts.
 */
import { logScores, newBayes, type BayesClassifier, type Classification } from './natural-bayes-core.js';
import type { Example, Peer, Prediction } from './peer.js';

/** Top label with its probability normalised over all classes. */
function posteriorTop(c: BayesClassifier, text: string): Prediction {
  const ranked = c.getClassifications(text);
  const top = ranked[0];
  if (top === undefined) return { label: 'oos', score: 0 };
  const sum = ranked.reduce((s, r) => s + r.value, 0);
  if (sum > 0 && Number.isFinite(sum)) return { label: top.label, score: top.value / sum };
  return softmaxTop(logScores(c, text));
}

function softmaxTop(logs: Classification[]): Prediction {
  const best = logs.reduce((a, b) => (b.value > a.value ? b : a));
  const sum = logs.reduce((s, r) => s + Math.exp(r.value - best.value), 0);
  return { label: best.label, score: 1 / sum };
}

export function naturalBayesPeer(): Peer {
  let classifier = newBayes();
  return {
    name: 'natural BayesClassifier',
    async train(examples: readonly Example[]): Promise<void> {
      classifier = newBayes();
      for (const e of examples) classifier.addDocument(e.text, e.label);
      classifier.train();
    },
    predict(text: string): Prediction {
      return posteriorTop(classifier, text);
    },
  };
}
