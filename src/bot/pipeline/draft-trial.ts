/**
 * "Try it" on the admin page: the decision for a message against the KB in
 * force with one FAQ replaced (or added) by an editor's unsaved draft. The
 * draft's index is built warm from the current one, about a second, and the
 * last few are kept, so trying several messages on one draft is instant.
 * Nothing is written: the live KB changes only when the draft is saved.
 */
import { createHash } from 'node:crypto';
import { decide } from '../core/decide.js';
import type { Decision } from '../core/decision.js';
import { buildFaqIndex, type FaqIndex } from '../core/faq-index.js';
import type { FaqDraft } from '../../kb/edit.js';
import type { LanguageData } from '../../kb/language-data.js';
import type { Faq, KnowledgeBase } from '../../kb/types.js';

/** Drafts whose index is kept; an editor tries one draft at a time, a few editors a few. */
const KEEP = 4;

/** @example new DraftTrials(() => knowledge.current, languageData()).decide(draft, '礼品卡怎么买').action // 'answer' */
export class DraftTrials {
  /** By draft hash, oldest first; an entry built on an index that has since been replaced is rebuilt. */
  private readonly built = new Map<string, { readonly base: FaqIndex; readonly index: FaqIndex }>();

  constructor(
    private readonly current: () => FaqIndex,
    private readonly builtin: LanguageData,
  ) {}

  decide(draft: FaqDraft, text: string): Decision {
    return decide(this.indexFor(draft), text);
  }

  private indexFor(draft: FaqDraft): FaqIndex {
    const base = this.current();
    const key = createHash('sha256').update(JSON.stringify(draft)).digest('hex');
    const kept = this.built.get(key);
    this.built.delete(key);
    const index = kept && kept.base === base ? kept.index : buildFaqIndex(withDraft(base.kb, draft), this.builtin, undefined, base);
    this.built.set(key, { base, index });
    for (const old of this.built.keys()) if (this.built.size > KEEP) this.built.delete(old);
    return index;
  }
}

/** The KB with the draft in place of the FAQ with its id, or added at the end; its tags stay. */
function withDraft(kb: KnowledgeBase, draft: FaqDraft): KnowledgeBase {
  const old = kb.faqs.find((f) => f.id === draft.id);
  const faq: Faq = { ...draft, tags: old?.tags ?? [], ...(old?.source ? { source: old.source } : {}) };
  return { ...kb, faqs: old ? kb.faqs.map((f) => (f === old ? faq : f)) : [...kb.faqs, faq] };
}
