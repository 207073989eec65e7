/**
 * Counts the distinct questions in one message, so that a long message
 * packing several questions can go to a person who answers them all.
 * A question is a clause ending in a question mark, or one with a question
 * word or particle (怎么, 吗, how, can I …).
 */
import { normalize } from './normalize.js';

const CLAUSE = /[^?？。.!！;；\n]+[?？]?/g;
const ZH_QUESTION = /(吗|呢|怎么|怎样|如何|什么|为什么|为何|多少|多久|几|哪|能否|能不能|可不可以|是否|有没有|点样|乜嘢|几时)/;
const EN_QUESTION = /^\s*(how|what|when|where|why|which|who|can|could|do|does|did|is|are|will|would|should|may)\b/i;

export function countQuestions(raw: string): number {
  const clauses = raw.match(CLAUSE) ?? [];
  const questions = new Set<string>();
  for (const clause of clauses) {
    const c = clause.trim();
    if (c.length < 2) continue;
    const folded = normalize(c);
    if (/[?？]$/.test(c) || ZH_QUESTION.test(folded) || EN_QUESTION.test(folded)) questions.add(folded);
  }
  return questions.size;
}
