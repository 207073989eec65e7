/**
 * Counts the distinct questions in one message, so that a long message
 * packing several questions can go to a person who answers them all.
 * The message is cut into clauses at sentence punctuation, commas and list
 * numbers ("1." "2、"); a clause is a question when it ends in a question
 * mark or has a question word or particle (怎么, 吗, 几天, how, can I …),
 * after a leading "and / also / 另外 / 还有" is set aside.
 */
import { normalize } from './normalize.js';

/** List numbers ("1." "2、") and full stops become line breaks first; then a clause runs to the next break and keeps its question mark. */
const LIST_OR_STOP = /(?:^|\s)\d{1,2}[.)、]|\.(?:\s|$)/g;
const CLAUSE = /[^?？。!！;；,，、:：\n]+[?？]?/g;
const ZH_QUESTION = /(吗|呢|怎么|怎样|如何|什么|为什么|为何|多少|多久|几|哪|能否|能不能|可不可以|是否|有没有|点样|乜嘢|几时|咩)/;
const EN_QUESTION = /^(how|what|when|where|why|which|who|can|could|do|does|did|is|are|will|would|should|may)\b/;
const LEADING_LINK = /^(and|also|plus|then|or|另外|还有|还有就是|顺便问下|顺便问一下|以及|而且)\s*/;

export function countQuestions(raw: string): number {
  const questions = new Set<string>();
  for (const piece of raw.replace(LIST_OR_STOP, '\n').match(CLAUSE) ?? []) {
    const clause = normalize(piece).replace(LEADING_LINK, '');
    if (clause.length < 3) continue;
    if (/[?？]$/.test(piece) || ZH_QUESTION.test(clause) || EN_QUESTION.test(clause)) questions.add(clause);
  }
  return questions.size;
}
