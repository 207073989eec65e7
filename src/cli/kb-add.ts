/**
 * `tact kb add [DIR]`: appends an FAQ, asking for each field in turn (or
 * reading the answers from a pipe, one per line). The FAQ is written into
 * its category's file like an edit from the admin page: the whole KB is
 * validated first, and the change goes to the audit log.
 */
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { EditError, saveFaq, type FaqDraft } from '../kb/edit.js';
import { parse, resolveKbPath, UsageError } from './usage.js';

const QUESTIONS = [
  ['id', 'FAQ id (letters, digits, - and _, e.g. gift-card-buy)'],
  ['category', 'category (e.g. orders)'],
  ['questionZh', 'question in Chinese (empty if none)'],
  ['questionEn', 'question in English (empty if none)'],
  ['alternates', 'other ways customers ask, separated by | (optional)'],
  ['answerZh', 'answer in Chinese (empty if none)'],
  ['answerEn', 'answer in English (empty if none)'],
  ['handoff', 'always hand this question to a person? (y/N)'],
] as const;

type Field = (typeof QUESTIONS)[number][0];

export async function kbAdd(args: readonly string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const dir = resolveKbPath(positionals[0]);
  const answers = await ask();
  const draft = toDraft(answers);
  try {
    const faq = saveFaq(dir, draft, null, `cli:${userInfo().username}`);
    process.stdout.write(`added FAQ ${faq.id} to ${faq.source?.file ?? dir}; a running server picks it up within a second\n`);
    return 0;
  } catch (err) {
    if (err instanceof EditError) throw new UsageError(err.message);
    throw err;
  }
}

async function ask(): Promise<Record<Field, string>> {
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  const lines = rl[Symbol.asyncIterator]();
  const out: Partial<Record<Field, string>> = {};
  for (const [field, prompt] of QUESTIONS) {
    if (interactive) process.stdout.write(`${prompt}: `);
    const next = await lines.next();
    out[field] = next.done ? '' : String(next.value).trim();
  }
  rl.close();
  return out as Record<Field, string>;
}

function toDraft(a: Record<Field, string>): FaqDraft {
  const localized = (zh: string, en: string) => ({ ...(zh ? { zh } : {}), ...(en ? { en } : {}) });
  return {
    id: a.id,
    category: a.category,
    question: localized(a.questionZh, a.questionEn),
    alternates: a.alternates
      .split('|')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    answer: localized(a.answerZh, a.answerEn),
    handoff: /^y(es)?$/i.test(a.handoff),
  };
}
