/**
 * Changes to a KB made through the app (admin page, Slack's "Save as FAQ"),
 * written back to the KB's own YAML files so git stays the source of truth:
 *
 *   saveFaq     add an FAQ, or replace one whose version the editor saw
 *   addAlternate  one more phrasing for an existing FAQ
 *
 * The file is edited as a YAML document (comments and other FAQs are kept),
 * the whole KB is validated with the change before anything is written, and
 * the file is replaced atomically. An FAQ's version is a hash of its content
 * on disk: a writer whose version is stale (someone edited the file since)
 * is refused with a conflict instead of overwriting the other edit. Every
 * change is appended to the KB's audit log (who, when, what).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { KbError } from './errors.js';
import { loadKnowledgeBase } from './load.js';
import type { Faq, Localized } from './types.js';

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

export type EditErrorCode = 'FAQ_CONFLICT' | 'FAQ_NOT_FOUND' | 'FAQ_EXISTS';

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
  const doc = existsSync(file) ? parseDocument(readFileSync(file, 'utf8')) : parseDocument(`category: ${draft.category}\nfaqs: []\n`);
  putFaq(doc, draft);
  const saved = commit(dir, file, doc.toString({ lineWidth: 0 }), draft.id);
  audit(dir, { at: now.toISOString(), who, action: current ? 'edit' : 'add', faq: draft.id, file: relativeName(dir, file) });
  return saved;
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

function putFaq(doc: Document, draft: FaqDraft): void {
  const faqs = doc.get('faqs');
  if (!isSeq(faqs)) throw new KbError([{ code: 'KB_SCHEMA', file: '', line: 0, field: 'faqs', message: 'the FAQ file has no faqs list to edit' }]);
  const node = doc.createNode(plain(draft));
  const at = faqs.items.findIndex((item) => isMap(item) && item.get('id') === draft.id);
  const old = faqs.items[at];
  const tags = isMap(old) ? old.get('tags', true) : undefined;
  if (at >= 0) faqs.items[at] = node;
  else faqs.items.push(node);
  // A draft carries only what editors edit: the FAQ's tags stay as they were.
  if (tags !== undefined) doc.setIn(['faqs', at, 'tags'], tags);
}

/** The FAQ as YAML wants it: no empty alternates, handoff only when set. */
function plain(d: FaqDraft): Record<string, unknown> {
  return {
    id: d.id,
    question: d.question,
    ...(d.alternates.length > 0 ? { alternates: [...d.alternates] } : {}),
    answer: d.answer,
    ...(d.handoff ? { handoff: true } : {}),
  };
}

/**
 * Validates the KB with the new file text in a scratch copy, then writes the
 * file through a temporary name and a rename: the live KB (and the server
 * watching it) only ever sees the old file or the whole new one.
 */
function commit(dir: string, file: string, text: string, id: string): Faq {
  const scratch = mkdtempSync(join(tmpdir(), 'tact-kb-edit-'));
  try {
    cpSync(dir, scratch, { recursive: true, filter: (src) => !src.endsWith(AUDIT_LOG) });
    writeFileSync(join(scratch, relativeName(dir, file)), text);
    const checked = loadKnowledgeBase(scratch).faqs.find((f) => f.id === id) as Faq;
    const temp = `${file}.tmp-${process.pid}`;
    writeFileSync(temp, text);
    renameSync(temp, file);
    return { ...checked, source: { file, line: checked.source?.line ?? 0 } };
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
