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
  readonly intents: IntentExamples;
  readonly emotion: EmotionLexiconData;
  readonly policy: PolicySettings;
  readonly tone: ToneStandard;
  readonly escalation: EscalationMatrix;
  /** knowledge-base/shop.yaml: who the shop is, when people are on duty, and who takes a handoff nothing else claims. */
  readonly shop: ShopProfile;
}

export interface KbSettings {
  /** Confidence at or above which the bot answers with the top FAQ. */
  readonly answerThreshold: number;
  /** Confidence below which the message is out of scope (`none`); between the two, clarify. */
  readonly clarifyThreshold: number;
}

export const DEFAULT_SETTINGS: KbSettings = { answerThreshold: 0.55, clarifyThreshold: 0.1 };

export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/i;

// ── The service standard: intents, emotion, policy, tone and escalation ──

/** In order of precedence: when cues of two intents are found, the earlier intent wins (我是记者，我要投诉 is a complaint). */
export const CONVERSATIONAL_INTENTS = ['greeting', 'thanks', 'goodbye', 'ask_human', 'complaint', 'affirm', 'deny', 'rating', 'chitchat', 'jobs', 'partnership', 'press'] as const;
/** What a message does in the conversation, apart from asking an FAQ. */
export type ConversationalIntent = (typeof CONVERSATIONAL_INTENTS)[number];
/**
 * Not a customer: a job seeker, a would-be partner or supplier, the press. A KB's own intents.yaml may leave them out
 * (it was written before they existed); it then gets the reference standard's examples for them.
 */
export const OPTIONAL_INTENTS: ReadonlySet<ConversationalIntent> = new Set(['jobs', 'partnership', 'press']);

/**
 * Per intent (knowledge-base/intents.yaml): examples that teach the classifier, and cues — phrases that alone mean the intent.
 * ask_human also lists `requestWords`, the words a request for a person is made of besides its cues — whom (人工, 客服,
 * agent) and how (我要, 接通, speak): set aside with the cues, what is left says what the request is about.
 */
export type IntentExamples = Readonly<Record<ConversationalIntent, { readonly examples: readonly string[]; readonly cues: readonly string[]; readonly requestWords?: readonly string[] }>>;

export const EMOTION_LEVELS = ['calm', 'upset', 'angry', 'distressed'] as const;
/** Ordered: each level is worse than the one before. */
export type EmotionLevel = (typeof EMOTION_LEVELS)[number];

export const THREAT_KINDS = ['public', 'regulator', 'legal'] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

/** knowledge-base/emotion.yaml, both languages merged: matching is script-aware, not language-bound. */
export interface EmotionLexiconData {
  /** Score at or above which each level starts; calm below `upset`. */
  readonly levels: Readonly<Record<Exclude<EmotionLevel, 'calm'>, number>>;
  readonly terms: readonly (readonly [string, number])[];
  readonly intensifiers: readonly (readonly [string, number])[];
  readonly negators: readonly string[];
  readonly insults: readonly string[];
  readonly threats: Readonly<Record<ThreatKind, readonly string[]>>;
  readonly distress: readonly string[];
  /** Emoji and emoticons and what each adds (😡 0.35): normalization drops them from the text, so they are read from the message as typed. */
  readonly emoji: readonly (readonly [string, number])[];
}

export const RISK_KINDS = ['safety', 'fraud', 'account_security', 'legal'] as const;
/** Topics that always go to a person, however calm the customer. */
export type RiskKind = (typeof RISK_KINDS)[number];

export const HANDOFF_REASONS = [...RISK_KINDS, 'requested', 'emotion', 'complaint', 'faq_always_human', 'frustration', 'repeated_failure', 'multi_question'] as const;
/** Why a conversation goes to a human; shown to agents and counted in metrics. */
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** knowledge-base/policy.yaml: when to hand off. */
export interface PolicySettings {
  /** Hand off at or above this emotion level. */
  readonly emotionLevel: Exclude<EmotionLevel, 'calm'>;
  /** Hand off after this many bot turns in a row that were `none` or `clarify`. */
  readonly consecutiveMisses: number;
  /** The same question asked this many times counts as frustration. */
  readonly repeatedQuestion: number;
  /** Emotion rising over this many customer turns counts as frustration. */
  readonly risingTurns: number;
  readonly multiQuestion: { readonly questions: number; readonly minChars: number };
  readonly risks: Readonly<Record<RiskKind, RiskTopic>>;
  /** Ordinary questions that sound like a risk ("这个台灯会不会很烫"): what the risk classifier must not take for one. */
  readonly ordinary: readonly string[];
}

export interface RiskTopic {
  /** Phrases that alone mean the risk (冒烟了, caught fire). */
  readonly phrases: readonly string[];
  /** Messages a classifier learns the risk from, for wordings the phrases miss. */
  readonly examples: readonly string[];
}

export const TONE_KINDS = ['cold', 'curt', 'buck_passing', 'argue', 'rude', 'overpromise'] as const;
/** The standard's 生、冷、硬、推 and their relatives. */
export type ToneKind = (typeof TONE_KINDS)[number];

export interface ToneRule {
  readonly id: string;
  readonly lang: Lang;
  readonly kind: ToneKind;
  readonly phrases: readonly string[];
  /** Longer phrases that contain a match but are fine. */
  readonly except: readonly string[];
  readonly rewrite: string;
}

/** knowledge-base/tone.yaml: what checkTone looks for. */
export interface ToneStandard {
  readonly forbidden: readonly ToneRule[];
  readonly pronoun: { readonly informal: string; readonly formal: string; readonly except: readonly string[] };
  readonly greetings: Readonly<Record<Lang, readonly string[]>>;
  readonly apologies: Readonly<Record<Lang, readonly string[]>>;
}

export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'wd';

/** A span of time as an editor wrote it (`30s`, `24h`, `3wd`); working days count as 24 h each for ordering. */
export interface Duration {
  readonly n: number;
  readonly unit: DurationUnit;
  readonly text: string;
  readonly seconds: number;
}

export interface Sla {
  readonly firstResponse: Duration;
  readonly resolution: Duration;
}

export interface Team {
  readonly id: string;
  readonly name: Localized;
  /** Slack channel, e.g. `#cs-logistics`. */
  readonly channel: string;
  readonly supervisor: { readonly name: string; readonly slack: string };
  readonly sla: Sla;
}

export interface ComplaintCause {
  readonly id: string;
  readonly team: string;
  readonly keywords: readonly string[];
}

/** knowledge-base/escalation.yaml: who owns what, and how fast. The default team is the shop's (shop.yaml). */
export interface EscalationMatrix {
  readonly followUp: Duration;
  readonly teams: ReadonlyMap<string, Team>;
  /** FAQ category → team id. */
  readonly routes: Readonly<Record<string, string>>;
  readonly complaintCauses: readonly ComplaintCause[];
  /** Team for a complaint with two or more causes. */
  readonly coordinator: string;
  readonly reasons: Readonly<Partial<Record<HandoffReason, { readonly team: string; readonly urgent: boolean }>>>;
  readonly urgentSla: Sla;
}

// ── The shop itself ──

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** When people are on duty for chat handoffs: "09:00-22:00" local time in an IANA time zone, on the open days. */
export interface ServiceHours {
  readonly hours: string;
  readonly timezone: string;
  /** Some of WEEKDAYS. */
  readonly days: readonly string[];
}

/** Ways to reach the shop besides the chat, as customers should be told them; each optional. */
export interface ShopContact {
  readonly hotline?: string;
  readonly email?: string;
}

/** knowledge-base/shop.yaml. */
export interface ShopProfile {
  /** The shop's name as customers see it, in each language (fills {shop} in the phrasing library). */
  readonly name: Readonly<Record<Lang, string>>;
  readonly service: ServiceHours;
  readonly contact: ShopContact;
  /** Team (an id in escalation.yaml) for a bare "talk to a person" and every handoff with no better route. */
  readonly defaultTeam: string;
}
