/**
 * "Save as FAQ", a message shortcut on an agent's reply: a modal prefilled
 * with the customer's question and the agent's answer, saved either as a new
 * FAQ or as one more phrasing of an existing one (the closest is preselected).
 * The customer's words are masked before they can reach the KB.
 */
import type { types } from '@slack/bolt';
import { addAlternate, EditError, saveFaq } from '../../../kb/edit.js';
import { KbError } from '../../../kb/errors.js';
import type { Lang } from '../../../kb/types.js';
import type { KbHit } from './agent-views.js';

export const SAVE_FAQ = { shortcut: 'tact_save_faq', modal: 'tact_save_faq_modal' } as const;
const NEW_FAQ = '__new__';

export interface SaveFaqPrefill {
  readonly question: string;
  readonly answer: string;
  readonly closest: readonly KbHit[];
  readonly categories: readonly string[];
}

export type SaveFaqSubmission =
  | { readonly kind: 'alternate'; readonly faqId: string; readonly question: string }
  | { readonly kind: 'new'; readonly id: string; readonly category: string; readonly question: string; readonly answer: string; readonly lang: Lang };

const MAX = 3000;

/** Where the shortcut was used, carried through the modal so the confirmation lands in the same thread. */
export interface SaveFaqOrigin {
  readonly lang: Lang;
  readonly channel: string;
  readonly thread: string;
}

export function saveFaqModal(p: SaveFaqPrefill, origin: SaveFaqOrigin): types.ModalView {
  const target: types.PlainTextOption[] = [{ text: plain('A new FAQ'), value: NEW_FAQ }, ...p.closest.slice(0, 5).map((h) => ({ text: plain(`Phrasing of: ${h.question}`.slice(0, 75)), value: h.id }))];
  const categories = p.categories.slice(0, 100).map((c) => ({ text: plain(c), value: c }));
  return {
    type: 'modal',
    callback_id: SAVE_FAQ.modal,
    private_metadata: JSON.stringify(origin),
    title: plain('Save as FAQ'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      input('question', 'Customer question', { type: 'plain_text_input', action_id: 'v', multiline: true, max_length: MAX, initial_value: p.question.slice(0, MAX) }),
      input('answer', 'Answer', { type: 'plain_text_input', action_id: 'v', multiline: true, max_length: MAX, initial_value: p.answer.slice(0, MAX) }),
      input('target', 'Save as', { type: 'static_select', action_id: 'v', options: target, initial_option: target[p.closest.length > 0 ? 1 : 0] }),
      input('id', 'New FAQ id (letters, digits, - and _)', { type: 'plain_text_input', action_id: 'v', max_length: 80 }, true),
      ...(categories.length > 0 ? [input('category', 'Category (new FAQ)', { type: 'static_select', action_id: 'v', options: categories, initial_option: categories[0] }, true)] : []),
    ],
  };
}

/** The submission as a typed value, or the errors to show next to the fields. */
export function readOrigin(metadata: string): SaveFaqOrigin | null {
  try {
    const o = JSON.parse(metadata) as Partial<SaveFaqOrigin>;
    return typeof o.channel === 'string' && typeof o.thread === 'string' ? { lang: o.lang === 'en' ? 'en' : 'zh', channel: o.channel, thread: o.thread } : null;
  } catch {
    return null;
  }
}

export function readSaveFaq(values: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>, lang: Lang): { ok: true; value: SaveFaqSubmission } | { ok: false; errors: Record<string, string> } {
  const text = (block: string): string => (values[block]?.['v']?.value ?? '').trim();
  const choice = (block: string): string => values[block]?.['v']?.selected_option?.value ?? '';
  const question = text('question');
  if (question === '') return { ok: false, errors: { question: 'The customer question is needed.' } };
  const target = choice('target');
  if (target !== NEW_FAQ && target !== '') return { ok: true, value: { kind: 'alternate', faqId: target, question } };
  const id = text('id');
  const errors: Record<string, string> = {};
  if (!/^[a-z0-9][a-z0-9._-]{0,79}$/i.test(id)) errors['id'] = 'Give the new FAQ an id: letters, digits, - and _ (e.g. gift-card-buy).';
  if (text('answer') === '') errors['answer'] = 'A new FAQ needs an answer.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { kind: 'new', id, category: choice('category') || 'general', question, answer: text('answer'), lang } };
}

/** Writes the submission to the KB (new FAQ, or one more phrasing); what went wrong comes back as errors for the modal's fields. */
export function writeSubmission(kbDir: string, s: SaveFaqSubmission, who: string): { ok: true; faqId: string } | { ok: false; errors: Record<string, string> } {
  try {
    if (s.kind === 'alternate') return { ok: true, faqId: addAlternate(kbDir, s.faqId, s.question, who).id };
    const faq = saveFaq(kbDir, { id: s.id, category: s.category, question: { [s.lang]: s.question }, alternates: [], answer: { [s.lang]: s.answer }, handoff: false }, null, who);
    return { ok: true, faqId: faq.id };
  } catch (err) {
    if (err instanceof EditError) return { ok: false, errors: { [err.code === 'FAQ_EXISTS' ? 'id' : 'target']: err.message } };
    if (err instanceof KbError) return { ok: false, errors: { question: err.problems.map((p) => p.message).join('; ').slice(0, 300) } };
    throw err;
  }
}

function plain(text: string): types.PlainTextElement {
  return { type: 'plain_text', text };
}

function input(block: string, label: string, element: types.InputBlock['element'], optional = false): types.InputBlock {
  return { type: 'input', block_id: block, label: plain(label), element, optional };
}
