/**
 * Changes to a KB made through the app (admin page, Slack's "Save as FAQ"),
 * written back to the KB's own YAML files so git stays the source of truth:
 *
 *   saveFaq       add an FAQ, or replace one whose version the editor saw
 *   addAlternate  one more phrasing for an existing FAQ
 *   removeFaq     delete an FAQ no regression or evaluation case expects
 *
 * Only the FAQ's own lines of its file change (faq-splice.ts): the other
 * FAQs, comments and blank lines stay byte for byte, so git shows the edit
 * and nothing else. The whole KB is validated with the change before anything is written, and
 * the file is replaced atomically. An FAQ's version is a hash of its content
 * on disk: a writer whose version is stale (someone edited the file since)
 * is refused with a conflict instead of overwriting the other edit. Every
 * change is appended to the KB's audit log (who, when, what).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { faqReferences } from './faq-references.js';
import { appendFaqText, removeFaqText, replaceFaqText } from './faq-splice.js';
import { loadKnowledgeBase } from './load.js';
import type { Faq, KnowledgeBase, Localized } from './types.js';

export const AUDIT_LOG = 'audit.jsonl';

/** What an editor submits for one FAQ. */
export interface FaqDraft {
  readonly id: string;
  readonly category: string;
  readonly question: Localized;
  readonly alternates: readonly string[];
  readonly answer: Localized;
  readonly handoff: boolean;
}

export type EditErrorCode = 'FAQ_CONFLICT' | 'FAQ_NOT_FOUND' | 'FAQ_EXISTS' | 'FAQ_REFERENCED';

export class EditError extends Error {
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EditError';
  }
}

/** The version an editor must send back with a change: a hash of the FAQ as loaded. */
export function faqVersion(faq: Pick<Faq, 'id' | 'category' | 'question' | 'alternates' | 'answer' | 'handoff'>): string {
  const { id, category, question, alternates, answer, handoff } = faq;
  return createHash('sha256').update(JSON.stringify({ id, category, question, alternates, answer, handoff })).digest('hex').slice(0, 16);
}

/**
 * Adds `draft` (version null: the id must be new) or replaces the FAQ with
 * its id (version: what the editor loaded). Throws KbError when the KB would
 * not load with the change, EditError on a conflict.
 */
export function saveFaq(dir: string, draft: FaqDraft, version: string | null, who: string, now = new Date()): Faq {
  const kb = loadKnowledgeBase(dir);
  const current = kb.faqs.find((f) => f.id === draft.id);
  if (version === null && current) throw new EditError('FAQ_EXISTS', `an FAQ with id "${draft.id}" already exists; edit it instead`);
  if (version !== null && !current) throw new EditError('FAQ_NOT_FOUND', `FAQ "${draft.id}" no longer exists; it was removed since you opened it`);
  if (current && version !== faqVersion(current)) throw new EditError('FAQ_CONFLICT', `FAQ "${draft.id}" was changed by someone else since you opened it; reload it and make your change again`);
  const file = current?.source?.file ? resolve(current.source.file) : fileForCategory(resolve(dir), draft.category);
  const name = relativeName(dir, file);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `category: ${draft.category}\nfaqs: []\n`;
  const checked = commit(dir, file, current ? replaceFaqText(name, text, current, draft) : appendFaqText(name, text, draft));
  audit(dir, { at: now.toISOString(), who, action: current ? 'edit' : 'add', faq: draft.id, file: name });
  const saved = checked.faqs.find((f) => f.id === draft.id) as Faq;
  return { ...saved, source: { file, line: saved.source?.line ?? 0 } };
}

/**
 * Deletes the FAQ `id` from its file (version: what the editor loaded, or
 * null from the command line). Refused while a case in the KB's JSON Lines
 * files expects it (FAQ_REFERENCED, naming each one), and when the KB would
 * not load without it (KbError: the last FAQ of a KB). Returns the FAQ as it
 * was.
 */
export function removeFaq(dir: string, id: string, version: string | null, who: string, now = new Date()): Faq {
  const current = loadKnowledgeBase(dir).faqs.find((f) => f.id === id);
  if (!current?.source) throw new EditError('FAQ_NOT_FOUND', `there is no FAQ "${id}" in ${dir}`);
  if (version !== null && version !== faqVersion(current)) throw new EditError('FAQ_CONFLICT', `FAQ "${id}" was changed by someone else since you opened it; reload it and decide again`);
  const refs = faqReferences(dir, id, AUDIT_LOG);
  if (refs.length > 0) {
    const where = refs.map((r) => `${r.file}:${r.line}`).join(', ');
    throw new EditError('FAQ_REFERENCED', `FAQ "${id}" is expected by ${refs.length} ${refs.length === 1 ? 'case' : 'cases'} (${where}); change or remove ${refs.length === 1 ? 'it' : 'them'} first, so the regression and evaluation cases still test something`);
  }
  const file = resolve(current.source.file);
  const name = relativeName(dir, file);
  commit(dir, file, removeFaqText(name, readFileSync(file, 'utf8'), id));
  audit(dir, { at: now.toISOString(), who, action: 'remove', faq: id, file: name });
  return current;
}

/** One more phrasing for an FAQ (Slack's "Save as FAQ" onto an existing one). */
export function addAlternate(dir: string, faqId: string, phrasing: string, who: string, now = new Date()): Faq {
  const kb = loadKnowledgeBase(dir);
  const faq = kb.faqs.find((f) => f.id === faqId);
  if (!faq) throw new EditError('FAQ_NOT_FOUND', `no FAQ "${faqId}"`);
  const text = phrasing.trim();
  if (faq.alternates.includes(text)) return faq;
  const saved = saveFaq(dir, { ...faq, alternates: [...faq.alternates, text] }, faqVersion(faq), who, now);
  return saved;
}

/**
 * Validates the KB with the new file text in a scratch copy, then writes the
 * file through a temporary name and a rename: the live KB (and the server
 * watching it) only ever sees the old file or the whole new one.
 */
function commit(dir: string, file: string, text: string): KnowledgeBase {
  const scratch = mkdtempSync(join(tmpdir(), 'tact-kb-edit-'));
  try {
    cpSync(dir, scratch, { recursive: true, filter: (src) => !src.endsWith(AUDIT_LOG) });
    writeFileSync(join(scratch, relativeName(dir, file)), text);
    const checked = loadKnowledgeBase(scratch);
    const temp = `${file}.tmp-${process.pid}`;
    writeFileSync(temp, text);
    renameSync(temp, file);
    return checked;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The category's file, or a new faqs/<category>.yaml. */
function fileForCategory(dir: string, category: string): string {
  const faqDir = join(dir, 'faqs');
  for (const name of existsSync(faqDir) ? readdirSync(faqDir) : []) {
    if (!name.endsWith('.yaml')) continue;
    const doc = parseDocument(readFileSync(join(faqDir, name), 'utf8'));
    if (doc.get('category') === category) return join(faqDir, name);
  }
  return join(faqDir, `${category.replace(/[^a-z0-9._-]/gi, '-')}.yaml`);
}

function relativeName(dir: string, file: string): string {
  return relative(resolve(dir), file);
}

function audit(dir: string, entry: Readonly<Record<string, string>>): void {
  appendFileSync(join(dir, AUDIT_LOG), `${JSON.stringify(entry)}\n`);
}
