/**
 * Emotion-section peer: natural's SentimentAnalyzer, set up as its README
 * shows — English, AFINN-165 vocabulary, PorterStemmer, WordTokenizer —
 * nothing trained. Its score is the summed AFINN valence over the tokens
 * divided by the token count (negation flips what follows).
 *
 * Rule, fixed once for every task (not tuned per dataset): a message is a
 * positive (needs a human / upset) when the score is below 0, i.e. the
 * message leans negative at all. AFINN has no anger axis, so the same rule
 * serves both English tasks. Empty token lists (score NaN) count as 0.
 *
 * Only the analyzer's modules are required: `import 'natural'` loads every model it ships.
 */
import { createRequire } from 'node:module';
import type { EmotionPeer } from './emotion-peer.js';

interface Stemmer {
  stem(word: string): string;
}
interface Analyzer {
  getSentiment(words: string[]): number;
}
interface Tokenizer {
  tokenize(text: string): string[];
}

/** Scores below this are positives. */
export const NEGATIVE_BELOW = 0;

const require = createRequire(import.meta.url);
const Analyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer.js') as new (language: string, stemmer: Stemmer, vocabulary: string) => Analyzer;
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as { WordTokenizer: new () => Tokenizer };

export function naturalSentimentPeer(): EmotionPeer {
  const analyzer = new Analyzer('English', porter, 'afinn');
  const tokenizer = new WordTokenizer();
  return {
    name: 'natural SentimentAnalyzer (AFINN)',
    async train(): Promise<void> {},
    isPositive(text: string): boolean {
      const score = analyzer.getSentiment(tokenizer.tokenize(text));
      return Number.isFinite(score) && score < NEGATIVE_BELOW;
    },
  };
}
