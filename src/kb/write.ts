/**
 * Writes FAQs as a KB directory (faqs/<category>.yaml), atomically: the new
 * faqs/ folder is written beside the target and swapped in with renames, so
 * a crash leaves either the old KB or the new one, never a mix.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import type { Faq } from './types.js';

export interface WriteOptions {
  /** Replace an existing faqs/ folder (otherwise refuse). */
  readonly force: boolean;
}

export class KbExistsError extends Error {
  readonly code = 'KB_EXISTS';
}

export function writeFaqDir(dir: string, faqs: readonly Faq[], opts: WriteOptions): string[] {
  const target = join(dir, 'faqs');
  if (existsSync(target) && readdirSync(target).length > 0 && !opts.force) {
    throw new KbExistsError(`${target} already has FAQ files; pass --force to replace them`);
  }
  mkdirSync(dir, { recursive: true });
  const staging = join(dir, `.faqs-${process.pid}-${Date.now()}`);
  mkdirSync(staging);
  const files: string[] = [];
  try {
    for (const [category, group] of groupByCategory(faqs)) {
      const name = `${category}.yaml`;
      writeFileSync(join(staging, name), faqFileText(category, group));
      files.push(join(target, name));
    }
    const old = `${staging}.old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return files;
}

function groupByCategory(faqs: readonly Faq[]): Map<string, Faq[]> {
  const groups = new Map<string, Faq[]>();
  for (const faq of faqs) {
    const list = groups.get(faq.category);
    if (list) list.push(faq);
    else groups.set(faq.category, [faq]);
  }
  return groups;
}

export function faqFileText(category: string, faqs: readonly Faq[]): string {
  const doc = new Document({
    category,
    faqs: faqs.map((f) => ({
      id: f.id,
      question: f.question,
      alternates: f.alternates,
      answer: f.answer,
      ...(f.tags.length > 0 ? { tags: f.tags } : {}),
      ...(f.handoff ? { handoff: true } : {}),
    })),
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}
