/**
 * The FAQ editor's form as a typed value: read from a posted form or from
 * an FAQ, turned into the draft that saveFaq and "try it" take, and the
 * KB's validation problems (`faqs[3].answer.zh: must not be empty`) placed
 * next to the form field they concern.
 */
import type { FaqDraft } from '../../../kb/edit.js';
import type { KbProblem } from '../../../kb/errors.js';
import { ID_PATTERN, type Faq } from '../../../kb/types.js';
import { field } from './admin-http.js';

export interface FaqForm {
  readonly id: string;
  readonly category: string;
  readonly questionZh: string;
  readonly questionEn: string;
  /** One phrasing per line, as typed. */
  readonly alternates: string;
  readonly answerZh: string;
  readonly answerEn: string;
  readonly handoff: boolean;
  /** The version the editor opened; '' for a new FAQ. */
  readonly version: string;
  /** The "try it" message. */
  readonly message: string;
}

/** Where a problem is shown: a field, a group of fields (both languages of the question or answer), or only the summary (null). */
export type FormField = 'id' | 'category' | 'question' | 'question_zh' | 'question_en' | 'alternates' | 'answer' | 'answer_zh' | 'answer_en' | 'handoff';

export interface FormProblem {
  readonly field: FormField | null;
  readonly message: string;
}

export const EMPTY_FORM: FaqForm = { id: '', category: '', questionZh: '', questionEn: '', alternates: '', answerZh: '', answerEn: '', handoff: false, version: '', message: '' };

export function readFaqForm(form: URLSearchParams): FaqForm {
  return {
    id: field(form, 'id', 200),
    category: field(form, 'category', 200),
    questionZh: field(form, 'question_zh'),
    questionEn: field(form, 'question_en'),
    alternates: field(form, 'alternates'),
    answerZh: field(form, 'answer_zh'),
    answerEn: field(form, 'answer_en'),
    handoff: form.get('handoff') === 'on',
    version: field(form, 'version', 100),
    message: field(form, 'message', 4000),
  };
}

export function formOf(faq: Faq, version: string): FaqForm {
  return {
    id: faq.id,
    category: faq.category,
    questionZh: faq.question.zh ?? '',
    questionEn: faq.question.en ?? '',
    alternates: faq.alternates.join('\n'),
    answerZh: faq.answer.zh ?? '',
    answerEn: faq.answer.en ?? '',
    handoff: faq.handoff,
    version,
    message: '',
  };
}

/** The draft: empty languages and blank alternate lines left out, so the KB's own validation says what is missing. */
export function draftOf(f: FaqForm): FaqDraft {
  return {
    id: f.id,
    category: f.category,
    question: localized(f.questionZh, f.questionEn),
    alternates: [...new Set(f.alternates.split('\n').map((l) => l.trim()).filter((l) => l !== ''))],
    answer: localized(f.answerZh, f.answerEn),
    handoff: f.handoff,
  };
}

/**
 * What must hold before the draft reaches the KB files: the id and the
 * category name a file and a YAML key, so they are checked here, at the
 * boundary; everything else is the KB loader's to judge.
 */
export function checkIds(f: FaqForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!ID_PATTERN.test(f.id)) problems.push({ field: 'id', message: 'Use letters, digits, - . _ (at most 80), e.g. gift-cards' });
  if (!ID_PATTERN.test(f.category)) problems.push({ field: 'category', message: 'Pick a category or type a new one: letters, digits, - . _' });
  return problems;
}

/** The KB loader's problems with the draft, each at its form field. */
export function formProblems(problems: readonly KbProblem[]): FormProblem[] {
  return problems.map((p) => {
    const at = formField(p.field);
    return { field: at, message: at ? p.message : `${p.field ? `${p.field}: ` : ''}${p.message}` };
  });
}

const FIELD_LABELS: Readonly<Record<FormField, string>> = {
  id: 'Id',
  category: 'Category',
  question: 'Question',
  question_zh: 'Question (中文)',
  question_en: 'Question (English)',
  alternates: 'Alternates',
  answer: 'Answer',
  answer_zh: 'Answer (中文)',
  answer_en: 'Answer (English)',
  handoff: 'Always human',
};

/** A problem as the summary at the top of the form lists it. */
export function describeProblem(p: FormProblem): string {
  return p.field ? `${FIELD_LABELS[p.field]}: ${p.message}` : p.message;
}

/** `faqs[3].answer.zh` → answer_zh; `faqs[3].alternates[1]` → alternates; a path outside the FAQ → null. */
function formField(path: string): FormField | null {
  const inFaq = path.replace(/^faqs\[\d+\]\.?/, '');
  const [head = '', lang] = inFaq.split(/[.[]/);
  switch (head) {
    case 'id':
    case 'category':
    case 'alternates':
    case 'handoff':
      return head;
    case 'question':
    case 'answer':
      return lang === 'zh' || lang === 'en' ? `${head}_${lang}` : head;
    default:
      return null;
  }
}

function localized(zh: string, en: string): FaqDraft['question'] {
  return { ...(zh ? { zh } : {}), ...(en ? { en } : {}) };
}
