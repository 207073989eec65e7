/**
 * Tact as a benchmark peer: the product's own index (built-in lexicon plus
 * the KB's synonyms), matcher alone (policy off). Score = the top FAQ's
 * confidence; a message closer to the negative examples than to any FAQ is
 * `oos`, as in the product.
 */
import { buildFaqIndex, kbPhrasings, type FaqIndex } from '../../src/bot/core/faq-index.js';
import { languageData } from '../../src/kb/language-data.js';
import { openPackaged } from '../../src/kb/load.js';
import { OOS_LABEL } from '../../src/kb/source.js';
import { referenceStandard } from '../../src/kb/standard.js';
import type { KnowledgeBase } from '../../src/kb/types.js';
import { NONE_LABEL } from '../../src/intents/matcher.js';
import type { Example, Peer, Prediction } from './peer.js';

export interface TactPeer extends Peer {
  readonly index: () => FaqIndex;
}

/** Trains from labelled examples (each label an FAQ, `oos` as negatives), or from a whole KB. */
export function tactPeer(kb?: KnowledgeBase): TactPeer {
  let index: FaqIndex | undefined;
  return {
    name: 'Tact',
    index: () => index as FaqIndex,
    async train(examples: readonly Example[]): Promise<void> {
      index = buildFaqIndex(kb ?? examplesKb(examples), languageData());
    },
    predict(text: string): Prediction {
      const m = (index as FaqIndex).matcher.match(text, 1);
      const top = m.candidates[0];
      if (!top || m.noneScore > top.blended) return { label: OOS_LABEL, score: top?.confidence ?? 0 };
      return { label: top.faqId, score: top.confidence };
    },
  };
}

function examplesKb(examples: readonly Example[]): KnowledgeBase {
  const byLabel = new Map<string, string[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e.text]);
  const faqs = [...byLabel].filter(([l]) => l !== OOS_LABEL).map(([id, texts]) => ({
    id,
    category: 'bench',
    question: { en: texts[0] as string },
    alternates: texts.slice(1),
    answer: {},
    tags: [],
    handoff: false,
  }));
  return { faqs, synonyms: [], negatives: byLabel.get(OOS_LABEL) ?? [], categories: [], settings: { answerThreshold: 0, clarifyThreshold: 0 }, ...referenceStandard(openPackaged) };
}

/** The phrasings a KB gives the other peers: the same texts Tact learns from, FAQ ids as labels. */
export function kbExamples(kb: KnowledgeBase): Example[] {
  return kbPhrasings(kb).map((p) => ({ text: p.text, label: p.label === NONE_LABEL ? OOS_LABEL : p.label }));
}
