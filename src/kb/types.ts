/**
 * The knowledge base as typed values: what the loaders produce after
 * validation and what the matcher, decision core and exporters consume.
 */
import type { Lang } from '../intents/analyze.js';

export type { Lang };

/** Text in one or both languages; validation guarantees at least one. */
export type Localized = Readonly<Partial<Record<Lang, string>>>;

export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export interface Faq {
  readonly id: string;
  readonly category: string;
  readonly question: Localized;
  readonly alternates: readonly string[];
  readonly answer: Localized;
  readonly tags: readonly string[];
  /** Always hand this question to a human, however confident the match. */
  readonly handoff: boolean;
  readonly source?: SourceRef;
}

export interface Category {
  readonly id: string;
  readonly name: Localized;
}

export interface KnowledgeBase {
  readonly faqs: readonly Faq[];
  /** Editors' synonym groups, on top of the built-in lexicon. */
  readonly synonyms: readonly (readonly string[])[];
  /** Messages that must not be answered from the FAQs. */
  readonly negatives: readonly string[];
  readonly categories: readonly Category[];
  /** Reply templates (clarify, none, …) keyed by name, per language. */
  readonly phrasing: Readonly<Record<string, Localized>>;
  readonly settings: KbSettings;
}

export interface KbSettings {
  /** Confidence at or above which the bot answers with the top FAQ. */
  readonly answerThreshold: number;
  /** Confidence below which the message is out of scope (`none`); between the two, clarify. */
  readonly clarifyThreshold: number;
}

export const DEFAULT_SETTINGS: KbSettings = { answerThreshold: 0.3, clarifyThreshold: 0.15 };

export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/i;
