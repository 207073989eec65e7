/**
 * Benchmark peer: NLP.js (@nlpjs/nlp), the NLU library Node bot builders use.
 * Set up the documented way: a container from @nlpjs/core's containerBootstrap,
 * Nlp plus LangEn / LangZh registered on it, no model file loaded or saved.
 * Training phrasings go in with addDocument; `oos` examples become NLP.js's own
 * 'None' intent. Logging (training progress, "only stop words" warnings) is off.
 *
 * The zh setup compiles LangZh's CC-CEDICT dictionary once per process
 * (~1.2 s, inside the first train()).
 *
 * NLP.js only classifies asynchronously: use `predictAsync`; `predict` throws.
 *
 * Score: result.score from nlp.process, the neural classifier's softmax-like
 * share for the winning intent (0..1). Caveat: when the top score is below
 * nlp.settings.threshold (NLP.js default 0.5) NLP.js itself answers
 * intent 'None' with score 1, so an 'oos' prediction's score is confidence in
 * "none", and intent scores below the threshold are never seen. Pass
 * `{ threshold: 0 }` to expose the raw top intent and score for calibration.
 */
import { createRequire } from 'node:module';
import type { Example, Peer, Prediction } from './peer.js';

interface NlpResult {
  intent: string;
  score: number;
}
interface Nlp {
  settings: { autoSave: boolean; autoLoad: boolean; log: boolean; threshold: number };
  nluManager: { settings: { log?: boolean } };
  addLanguage(locale: string): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<NlpResult>;
}
interface Container {
  use(plugin: unknown): void;
  register(name: string, instance: unknown, isSingleton?: boolean): void;
  get(name: string): unknown;
}

export type NlpjsLang = 'en' | 'zh';
export interface NlpjsOptions {
  /** Below this top score NLP.js answers 'None' (its default: 0.5). */
  threshold?: number;
}

const require = createRequire(import.meta.url);
const { containerBootstrap } = require('@nlpjs/core') as { containerBootstrap: () => Container };
const { Nlp: NlpPlugin } = require('@nlpjs/nlp') as { Nlp: unknown };

function langPlugin(lang: NlpjsLang): unknown {
  if (lang === 'zh') return (require('@nlpjs/lang-zh') as { LangZh: unknown }).LangZh;
  return (require('@nlpjs/lang-en') as { LangEn: unknown }).LangEn;
}

const quiet = () => undefined;
/** Replaces @nlpjs/core's console logger; errors still reach the console. */
const silentLogger = { debug: quiet, info: quiet, log: quiet, trace: quiet, warn: quiet,
  error: console.error, fatal: console.error };

/**
 * LangZh segments with CC-CEDICT, compiled on first use (~1.2 s, once per
 * process) with a bare console.log('Compiling dictionary'): do it here, muted.
 */
function compileZhDictionary(): void {
  const dictionary = require('@nlpjs/lang-zh/src/dictionary.js') as { start(): void };
  const log = console.log;
  console.log = quiet;
  try {
    dictionary.start();
  } finally {
    console.log = log;
  }
}

function createNlp(lang: NlpjsLang, options: NlpjsOptions): Nlp {
  if (lang === 'zh') compileZhDictionary();
  const container = containerBootstrap();
  container.register('logger', silentLogger, true);
  container.use(NlpPlugin);
  container.use(langPlugin(lang));
  const nlp = container.get('nlp') as Nlp;
  Object.assign(nlp.settings, { autoSave: false, autoLoad: false, log: false });
  if (options.threshold !== undefined) nlp.settings.threshold = options.threshold;
  nlp.nluManager.settings.log = false; // the per-epoch training progress
  nlp.addLanguage(lang);
  return nlp;
}

export function nlpjsPeer(lang: NlpjsLang, options: NlpjsOptions = {}): Peer {
  let nlp: Nlp | undefined; // built in train(), so its one-time costs count as training
  return {
    name: 'NLP.js',
    async train(examples: readonly Example[]): Promise<void> {
      const fresh = createNlp(lang, options);
      for (const e of examples) fresh.addDocument(lang, e.text, e.label === 'oos' ? 'None' : e.label);
      await fresh.train();
      nlp = fresh;
    },
    predict(): Prediction {
      throw new Error('NLP.js classifies asynchronously: call predictAsync(text) instead of predict(text)');
    },
    async predictAsync(text: string): Promise<Prediction> {
      if (nlp === undefined) return { label: 'oos', score: 0 };
      const result = await nlp.process(lang, text);
      return { label: result.intent === 'None' ? 'oos' : result.intent, score: result.score };
    },
  };
}
