/**
 * One turn of the decision core: the customer's message and what we know
 * of the conversation in, the decision and the updated conversation out.
 * Pure: same index, conversation and message, same decision.
 *
 *   analyze once → FAQ ranking, intent, emotion, risks
 *   → handoff policy (named reason, escalation path)
 *   → otherwise small talk, answer, clarify or none
 *   → every reply from the phrasing library, addressing the customer by name when known
 */
import type { IntentGuess } from '../../intents/conversational.js';
import type { Emotion } from '../../intents/emotion.js';
import type { MatchResult } from '../../intents/matcher.js';
import { MAX_MATCH_CHARS } from '../../intents/normalize.js';
import { followLanguage } from '../../intents/language.js';
import { countQuestions } from '../../intents/questions.js';
import type { ConversationalIntent, HandoffReason, KbSettings, Lang } from '../../kb/types.js';
import { addressOf, type Customer } from './address.js';
import type { Route } from './escalation.js';
import { noteForCase } from './case-summary.js';
import { NEW_CONVERSATION, recordTurn, type Conversation, type TurnRecord } from './conversation.js';
import type { Decision } from './decision.js';
import type { FaqIndex } from './faq-index.js';
import { faqOutcome, likelyCategory, MAX_SUGGESTIONS, round, type FaqOutcome } from './faq-outcome.js';
import { maskPii } from './mask.js';
import { formatDuration, phrase, phraseFor, pick, type PhraseVars } from './phrasing.js';
import { handoffReason } from './policy.js';

export { round };

export interface Turn {
  readonly text: string;
  readonly customer?: Customer;
  /** Thresholds to decide with; the KB's own by default (evaluation sweeps them). */
  readonly settings?: KbSettings;
  /** The customer pressed "talk to a person": a request for a human whatever the words. */
  readonly asksForHuman?: boolean;
}

export interface TurnResult {
  readonly decision: Decision;
  readonly conversation: Conversation;
}

/** Intents the bot answers itself, a job, partnership or press enquiry included (where to apply, whom to contact); ask_human and complaint are handoffs. */
const SMALLTALK: ReadonlySet<ConversationalIntent> = new Set(['greeting', 'thanks', 'goodbye', 'affirm', 'deny', 'rating', 'chitchat', 'jobs', 'partnership', 'press']);
/** The restated problem in a handoff is cut to this many characters. */
const SUMMARY_CHARS = 80;

export function decideTurn(index: FaqIndex, conversation: Conversation, turn: Turn): TurnResult {
  const settings = turn.settings ?? index.kb.settings;
  const r = read(index, conversation, turn.text, settings, turn.asksForHuman === true);
  const reason = handoffReason({
    policy: index.kb.policy,
    conversation,
    normalized: r.m.analysis.normalized,
    emotion: r.emotion,
    intent: r.intent,
    risks: index.risks.find(r.m.analysis),
    faq: r.faq,
    questions: r.questions,
    length: r.text.trim().length,
    smalltalk: r.smalltalk,
  });
  // A request for a person goes by what it is about, not by the FAQ nearest the words of the request itself.
  const about = reason === 'requested' ? requestTopic(index, r.m, settings) : { m: r.m, faq: r.faq };
  const base: Base = {
    lang: r.lang,
    why: r.m.why,
    intent: r.intent?.intent ?? null,
    emotion: { score: r.emotion.score, level: r.emotion.level, cues: r.emotion.cues },
    category: about.m ? likelyCategory(index, about.m, settings) : null,
    confidence: r.faq.confidence,
    suggestions: r.faq.suggestions,
  };
  const ctx: ReplyContext = { index, lang: r.lang, title: addressOf(index.kb.phrasing, turn.customer ?? {}, r.lang), text: r.text, m: r.m };
  const decision: Decision = reason
    ? handoff(ctx, base, reason, about.faq)
    : r.smalltalk && r.intent
      ? smalltalkDecision(ctx, base, r.intent.intent)
      : faqDecision(ctx, base, r.faq, r.emotion.level !== 'calm');
  const after = recordTurn(conversation, { normalized: r.m.analysis.normalized, emotion: r.emotion.score, action: decision.action, faqId: decision.faqId, ...caseNote(r, decision, turn.asksForHuman === true) }, r.lang);
  return { decision, conversation: after };
}

/** Everything the policy reads off one message, analyzed once. */
interface Reading {
  readonly text: string;
  readonly m: MatchResult;
  readonly lang: Lang;
  readonly faq: FaqOutcome;
  readonly emotion: Emotion;
  readonly questions: number;
  readonly intent: IntentGuess | null;
  readonly smalltalk: boolean;
}

function read(index: FaqIndex, conversation: Conversation, raw: string, settings: KbSettings, asksForHuman: boolean): Reading {
  // Only the start of a huge message is read, as the matcher does: the rest cannot change the decision, only its cost.
  const text = raw.length > MAX_MATCH_CHARS ? raw.slice(0, MAX_MATCH_CHARS) : raw;
  const m = index.matcher.match(text, MAX_SUGGESTIONS);
  const a = m.analysis;
  const faq = faqOutcome(index, m, settings);
  const questions = countQuestions(text);
  const intent: IntentGuess | null = asksForHuman ? { intent: 'ask_human', confidence: 1 } : a.normalized === '' ? null : plausible(index.intents.classify(a), questions > 0);
  return {
    text,
    m,
    // The button's label is Tact's own wording, not the customer's: pressing "talk to a person" never changes the language.
    lang: asksForHuman ? (conversation.lang ?? a.lang) : followLanguage(conversation.lang, a),
    faq,
    emotion: index.emotion.score(a, text),
    questions,
    intent,
    smalltalk: isSmalltalk(intent, faq),
  };
}

/** The decision for a single message, as the first turn of a conversation. */
export function decide(index: FaqIndex, text: string, settings?: KbSettings, customer?: Customer): Decision {
  return decideTurn(index, NEW_CONVERSATION, { text, ...(settings ? { settings } : {}), ...(customer ? { customer } : {}) }).decision;
}

/**
 * The customer tapped one of a clarification's suggestions: that FAQ's
 * answer, as if the matcher had been sure. Null for an id the KB does not
 * have (a stale button after the KB changed).
 */
export function decideChoice(index: FaqIndex, conversation: Conversation, faqId: string, customer?: Customer): TurnResult | null {
  const faq = index.kb.faqs.find((f) => f.id === faqId);
  if (!faq) return null;
  const lang = conversation.lang ?? 'zh';
  // An always-human FAQ goes through the policy like any message, so it is handed off with its escalation path.
  if (faq.handoff) return decideTurn(index, conversation, { text: pick(faq.question, lang), ...(customer ? { customer } : {}) });
  const reply = phrase(index.kb.phrasing, 'answer.reply', lang, { answer: pick(faq.answer, lang) });
  const question = pick(faq.question, lang);
  const decision: Decision = {
    action: 'answer',
    faqId: faq.id,
    handoffReason: null,
    escalation: null,
    reply,
    suggestedReply: reply,
    confidence: 1,
    suggestions: [{ faqId: faq.id, question, confidence: 1 }],
    lang,
    why: [],
    intent: null,
    emotion: { score: 0, level: 'calm', cues: [] },
    category: faq.category,
  };
  return { decision, conversation: recordTurn(conversation, { normalized: question, emotion: 0, action: 'answer', faqId: faq.id, said: '', aboutProblem: false }, lang) };
}

/** No topic: nothing but the request, or nothing an FAQ is about. */
const NO_TOPIC = { m: null, faq: { kind: 'none', confidence: 0, suggestions: [] } } as const;

/**
 * What a request for a person is about, as the FAQs see it: the message
 * without the request's words ("人工客服" alone is close to "the agent was
 * rude", yet it is about nothing, and goes to the default team).
 */
function requestTopic(index: FaqIndex, m: MatchResult, settings: KbSettings): { readonly m: MatchResult | null; readonly faq: FaqOutcome } {
  const topic = index.requestTopic.of(m.analysis);
  if (!topic) return NO_TOPIC;
  const about = index.matcher.matchAnalysis(topic, MAX_SUGGESTIONS);
  const faq = faqOutcome(index, about, settings);
  return faq.kind === 'answer' || faq.kind === 'clarify' ? { m: about, faq } : NO_TOPIC;
}

/** The escalation path for a complaint described in the customer's words: the team owning the causes it mentions. */
export function routeComplaint(index: FaqIndex, text: string, category: string | null, lang: Lang): Route {
  const causes = index.router.complaintCauses(index.matcher.match(text.slice(0, MAX_MATCH_CHARS), 1).analysis);
  return index.router.route('complaint', category, causes, lang);
}

interface ReplyContext {
  readonly index: FaqIndex;
  readonly lang: Lang;
  readonly title: string | undefined;
  readonly text: string;
  readonly m: MatchResult;
}

type Base = Pick<Decision, 'lang' | 'why' | 'intent' | 'emotion' | 'category' | 'confidence' | 'suggestions'>;

/** Intents that a question cannot be: 火星上有没有水 is not a "no", whatever its 没有. */
const NOT_QUESTIONS: ReadonlySet<ConversationalIntent> = new Set(['affirm', 'deny', 'thanks', 'goodbye', 'rating']);

function plausible(intent: IntentGuess | null, isQuestion: boolean): IntentGuess | null {
  return intent && isQuestion && NOT_QUESTIONS.has(intent.intent) ? null : intent;
}

/** Small talk wins over the FAQs unless an FAQ answer scores higher than the intent (on the same, uncalibrated scale). */
function isSmalltalk(intent: IntentGuess | null, faq: FaqOutcome): boolean {
  if (!intent || !SMALLTALK.has(intent.intent)) return false;
  return faq.kind !== 'answer' || intent.confidence >= faq.blended;
}

function handoff(ctx: ReplyContext, base: Base, reason: HandoffReason, faq: FaqOutcome): Decision {
  const { index, lang } = ctx;
  const lib = index.kb.phrasing;
  const causes = reason === 'complaint' ? index.router.complaintCauses(ctx.m.analysis) : [];
  const route = index.router.route(reason, base.category, causes, lang);
  const { escalation } = route;
  const vars = handoffVars(ctx, route);
  const answered = faq.kind === 'answer' ? faq.faq : null;
  const upset = base.emotion.level !== 'calm';
  const reply =
    reason === 'faq_always_human' && answered
      ? handoffAnswer(ctx, pick(answered.answer, lang), upset)
      : phraseFor(lib, upset && lib[`handoff.${reason}.upset`] ? `handoff.${reason}.upset` : `handoff.${reason}`, lang, vars);
  return { ...base, action: 'handoff', faqId: answered?.id ?? null, handoffReason: reason, escalation, reply, suggestedReply: phraseFor(lib, `suggest.${reason}`, lang, vars) };
}

function smalltalkDecision(ctx: ReplyContext, base: Base, intent: ConversationalIntent): Decision {
  const lib = ctx.index.kb.phrasing;
  const rating = intent === 'rating' ? ratingOf(ctx.text) : null;
  const vars: PhraseVars = { ...(ctx.title ? { title: ctx.title } : {}), ...(rating ? { rating: String(rating) } : {}) };
  const name = intent !== 'rating' ? `smalltalk.${intent}` : rating === null ? 'smalltalk.thanks' : rating <= 2 ? 'smalltalk.rating_low' : 'smalltalk.rating';
  const reply = phraseFor(lib, name, ctx.lang, vars);
  return { ...base, action: 'smalltalk', faqId: null, handoffReason: null, escalation: null, reply, suggestedReply: reply };
}

function faqDecision(ctx: ReplyContext, base: Base, faq: FaqOutcome, upset: boolean): Decision {
  const { index, lang } = ctx;
  const lib = index.kb.phrasing;
  const none = { ...base, handoffReason: null, escalation: null, faqId: null } as const;
  switch (faq.kind) {
    case 'answer': {
      const answer = pick(faq.faq.answer, lang);
      const reply = phrase(lib, needsApology(index, upset, answer) ? 'answer.reply.upset' : 'answer.reply', lang, { answer });
      return { ...base, action: 'answer', faqId: faq.faq.id, handoffReason: null, escalation: null, reply, suggestedReply: reply };
    }
    case 'clarify': {
      const reply = phrase(lib, 'clarify.intro', lang);
      return { ...none, action: 'clarify', reply, suggestedReply: reply };
    }
    case 'empty': {
      const reply = phrase(lib, 'empty.reply', lang);
      return { ...none, action: 'none', reply, suggestedReply: reply };
    }
    case 'none': {
      // No handoff yet, but the agent's suggested reply promises the times of the team that would take it.
      const vars = handoffVars(ctx, index.router.route('repeated_failure', base.category, [], lang));
      return { ...none, action: 'none', reply: phrase(lib, 'none.reply', lang), suggestedReply: phraseFor(lib, 'suggest.none', lang, vars) };
    }
  }
}

/**
 * An upset customer hears an apology first (apologise → explain → commit),
 * once: an FAQ answer that already opens with one needs no other.
 */
function needsApology(index: FaqIndex, upset: boolean, answer: string): boolean {
  return upset && !index.tone.opensWithApology(answer);
}

/** An "always human" FAQ's own answer, after an apology when the customer is upset and the answer has none. */
function handoffAnswer(ctx: ReplyContext, answer: string, upset: boolean): string {
  return needsApology(ctx.index, upset, answer) ? phrase(ctx.index.kb.phrasing, 'answer.handoff.upset', ctx.lang, { answer }) : answer;
}

/** What handoff and agent templates fill in: the customer's name, the team and its times, the restated problem. */
function handoffVars(ctx: Pick<ReplyContext, 'index' | 'lang' | 'title' | 'text'>, route: Route): PhraseVars {
  const { index, lang } = ctx;
  const lib = index.kb.phrasing;
  return {
    ...(ctx.title ? { title: ctx.title } : {}),
    wait: formatDuration(lib, route.sla.firstResponse, lang),
    resolution: formatDuration(lib, route.sla.resolution, lang),
    followup: formatDuration(lib, index.kb.escalation.followUp, lang),
    team: route.escalation.teamName,
    summary: summarize(ctx.text),
  };
}

/**
 * An agent's suggested first reply for a handed-off case, restating its
 * problem (`text`, the customer's words) in the standard's phrasing for the
 * reason; when the customer has not said what the problem is yet (they
 * asked for a person straight away), the standard's opening that asks.
 */
export function suggestedReplyFor(index: FaqIndex, reason: HandoffReason, route: Route, lang: Lang, customer: Customer, text: string): string {
  const title = addressOf(index.kb.phrasing, customer, lang);
  const vars = handoffVars({ index, lang, title, text }, route);
  return phraseFor(index.kb.phrasing, vars['summary'] === '' ? 'suggest.ask_problem' : `suggest.${reason}`, lang, vars);
}

/**
 * What an agent may be offered to send in answer to one customer message:
 * the FAQ's answer, the standard's phrasing for a handoff, small talk in
 * kind. Never a clarify prompt or the "none" apology: those are the bot's
 * own words to the customer, and restating them would ask the customer
 * again what a person should now answer (null then).
 */
export function agentSuggestion(d: Decision): string | null {
  switch (d.action) {
    case 'answer':
    case 'handoff':
    case 'smalltalk':
      return d.suggestedReply;
    case 'clarify':
    case 'none':
      return null;
  }
}

/** The customer's words for an agent's restatement: personal data masked, one line, cut to length. */
export function summarize(text: string): string {
  const line = maskPii(text).replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line;
}

/** What this message gives the agent's case summary (the rules are case-summary.ts's). */
function caseNote(r: Reading, d: Decision, pressedButton: boolean): Pick<TurnRecord, 'said' | 'aboutProblem'> {
  return noteForCase(r.text, { pressedButton, smalltalk: d.action === 'smalltalk', asksForPerson: r.intent?.intent === 'ask_human', recognised: r.faq.kind === 'answer' || r.faq.kind === 'clarify' });
}

/** A 1–5 rating in a survey answer: a digit, a count of stars, or 五星-style. */
function ratingOf(text: string): number | null {
  const stars = text.match(/[★⭐]/gu)?.length ?? 0;
  if (stars >= 1 && stars <= 5) return stars;
  const digit = /(?<!\d)([1-5])(?!\d)/.exec(text)?.[1];
  if (digit) return Number(digit);
  const zh = /([一二三四五])(?:星|颗星|分|粒星)/.exec(text)?.[1];
  return zh ? '一二三四五'.indexOf(zh) + 1 : null;
}
