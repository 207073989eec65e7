/**
 * What an agent reads first about a handed-off case (the Slack card, the
 * admin page): the customer's problem in one or two of their own sentences,
 * the order number if they gave one, and the questions the bot already
 * answered in this conversation. Emotion and reason travel with the
 * decision; the agent's suggested first reply is phrased from `problem`.
 *
 * Only the customer's words about their problem count (TurnRecord.said):
 * never a bot prompt, a tapped button, small talk, a bare "talk to a
 * person", or an answer to a dialog step (a refusal, contact details) —
 * dialog answers never reach the conversation's turns. A complaint's
 * problem is what the intake collected and the customer confirmed.
 * Pure: data in, data out; personal data masked (maskPii).
 *
 * @example caseSummary(index, session.conversation, 'zh') // { problem: '我的快递三天没动了', order: 'DD20261127001', answered: ['下单后多久发货？'] }
 */
import type { Lang } from '../../kb/types.js';
import type { Conversation, TurnRecord } from './conversation.js';
import type { FaqIndex } from './faq-index.js';
import { maskPii } from './mask.js';
import { pick } from './phrasing.js';

export interface CaseSummary {
  /** The customer's problem: one or two of their sentences, masked; '' when they have not said what it is yet. */
  readonly problem: string;
  /** The order number they gave, or null. */
  readonly order: string | null;
  /** Questions the bot answered in this conversation (the FAQs' questions, in the conversation's language), oldest first. */
  readonly answered: readonly string[];
}

/** What the complaint intake collected, as the customer typed it ('' for a step skipped). */
export interface ComplaintIntake {
  readonly what: string;
  readonly wanted: string;
  readonly order: string;
}

/** Sentences of the customer's that make up the problem. */
const MAX_SENTENCES = 2;
/** Each sentence, and a typed order number that is not one, is cut to this many characters. */
const SENTENCE_CHARS = 120;
/**
 * An order number: letters (at most four) then at least six digits, or ten
 * digits or more, standing alone (DD20261127001, A-123456, 2026112700123).
 * A phone number is masked before this looks (138****5678 has no such run),
 * and maskPii leaves order numbers readable on purpose.
 */
const ORDER_NUMBER = /(?<![A-Za-z0-9])(?:[A-Za-z]{1,4}[-_]?\d{6,24}|\d{10,24})(?![A-Za-z0-9])/;
const ORDER_NUMBER_ALL = new RegExp(ORDER_NUMBER.source, 'g');

/** What the decision core knows of a customer message, for `noteForCase`. */
export interface MessageFacts {
  /** The customer tapped a button: the text is its label, Tact's words. */
  readonly pressedButton: boolean;
  readonly smalltalk: boolean;
  /** The intent classifier read a request for a person. */
  readonly asksForPerson: boolean;
  /** The KB recognised a question in it (an answer or a clarification). */
  readonly recognised: boolean;
}

/**
 * What one customer message gives the case summary: their words, masked,
 * and whether those words describe the problem. Small talk, a bare "转人工",
 * contact details ("13812345678，下午打给我": personal data and nothing the KB
 * recognises) and an order number alone do not; the order number is still
 * found in `said`.
 */
export function noteForCase(text: string, facts: MessageFacts): Pick<TurnRecord, 'said' | 'aboutProblem'> {
  if (facts.pressedButton) return { said: '', aboutProblem: false };
  const said = oneLine(maskPii(text));
  const wordless = !/[\p{L}]/u.test(said.replace(ORDER_NUMBER_ALL, ''));
  const personal = said !== oneLine(text);
  const aboutProblem = !facts.smalltalk && !wordless && (facts.recognised || (!facts.asksForPerson && !personal));
  return { said, aboutProblem };
}

export function caseSummary(index: FaqIndex, conversation: Conversation, lang: Lang, intake?: ComplaintIntake): CaseSummary {
  const said = conversation.turns.filter((t) => t.said !== '');
  const problem = intake && intake.what.trim() !== '' ? [intake.what, intake.wanted] : problemTurns(said.filter((t) => t.aboutProblem)).map((t) => t.said);
  return {
    problem: sentences(problem),
    order: orderNumber([intake?.order ?? '', intake?.what ?? '', ...said.map((t) => t.said).reverse()], intake?.order ?? ''),
    answered: answeredQuestions(index, conversation.turns, lang),
  };
}

/** The last sentences the bot could not simply answer; when it answered them all, the last ones it answered. */
function problemTurns(said: readonly TurnRecord[]): TurnRecord[] {
  const open = said.filter((t) => t.action !== 'answer');
  const chosen = open.length > 0 ? open : [...said];
  // The same question asked again is one sentence of the problem, where it was last asked.
  const latest = chosen.filter((t, i) => !chosen.slice(i + 1).some((u) => u.said === t.said));
  return latest.slice(-MAX_SENTENCES);
}

/** Sentences as one masked line: blank ones dropped, each cut to length, joined by " / ". */
function sentences(parts: readonly string[]): string {
  return parts
    .map((p) => oneLine(maskPii(p)))
    .filter((p) => p !== '')
    .join(' / ');
}

/** The first order number in the texts (the intake's answer first, then the customer's latest words); else what they typed as one. */
function orderNumber(texts: readonly string[], typed: string): string | null {
  for (const text of texts) {
    const found = ORDER_NUMBER.exec(text.normalize('NFKC'))?.[0];
    if (found) return found;
  }
  const line = oneLine(maskPii(typed));
  return line === '' ? null : line;
}

function answeredQuestions(index: FaqIndex, turns: readonly TurnRecord[], lang: Lang): string[] {
  const ids = [...new Set(turns.flatMap((t) => (t.action === 'answer' && t.faqId !== null ? [t.faqId] : [])))];
  return ids.flatMap((id) => {
    const faq = index.faqs.get(id);
    return faq ? [pick(faq.question, lang)] : [];
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SENTENCE_CHARS ? `${line.slice(0, SENTENCE_CHARS)}…` : line;
}
