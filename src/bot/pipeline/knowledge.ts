/**
 * The knowledge base in force, reloaded when its files change. An edit is
 * loaded and validated whole, and its index built, before it replaces the
 * current one in a single assignment: a turn reads the index once at its
 * start, so no message ever sees half of an edit, and an invalid edit is
 * refused with a log line naming file, line and field while the previous
 * KB keeps serving.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../core/faq-index.js';
import { KbError } from '../../kb/errors.js';
import type { LanguageData } from '../../kb/language-data.js';
import { loadKnowledgeBase } from '../../kb/load.js';
import type { Logger } from '../log.js';
import { cachedIndex, type CacheEvent } from './index-cache.js';

/** Editors save in bursts (a temp file, a rename, a second file): wait for the burst to end. */
export const RELOAD_DEBOUNCE_MS = 150;

export type ReloadResult = { readonly ok: true; readonly faqs: number; readonly ms: number } | { readonly ok: false; readonly problems: readonly string[] };

export class Knowledge {
  private index: FaqIndex;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private listeners: ((r: ReloadResult) => void)[] = [];
  /** Told after a reload its own watcher caused (an edit made here), not one asked for by `reload()`. */
  private announce: (() => void) | null = null;

  /** `cacheDir`: where builds are kept between starts (index-cache.ts); null builds every time. */
  constructor(
    private readonly dir: string,
    private readonly builtin: LanguageData,
    private readonly log: Logger,
    cacheDir: string | null = null,
  ) {
    const build = (): FaqIndex => buildFaqIndex(loadKnowledgeBase(dir), builtin);
    this.index = cachedIndex(dir, build, { dir: cacheDir, onEvent: (e) => logCacheEvent(log, e) });
  }

  get current(): FaqIndex {
    return this.index;
  }

  /** Reloads now: the new KB replaces the old only if it is valid whole. */
  reload(): ReloadResult {
    const started = Date.now();
    try {
      const next = buildFaqIndex(loadKnowledgeBase(this.dir), this.builtin, undefined, this.index);
      this.index = next;
      const result = { ok: true as const, faqs: next.kb.faqs.length, ms: Date.now() - started };
      this.log.info('kb.reloaded', { dir: this.dir, faqs: result.faqs, ms: result.ms });
      return this.tell(result);
    } catch (err) {
      if (!(err instanceof KbError)) throw err;
      const problems = err.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
      this.log.error('kb.rejected', { dir: this.dir, problems, message: 'the edit was not loaded; the previous knowledge base is still serving' });
      return this.tell({ ok: false, problems });
    }
  }

  /**
   * Watches the KB folder and its faqs/ folder (the only places the KB is
   * read from) and reloads after each burst of changes. Each folder is
   * watched on its own: Node 20's recursive watch on Linux follows a file,
   * not its name, so it goes deaf to a file once it has been replaced by a
   * rename — which is how every save from the app (and many editors) writes.
   */
  watch(): void {
    for (const folder of [this.dir, join(this.dir, 'faqs')].filter((f) => existsSync(f))) {
      // Only the files the KB is made of: the audit log and regression cases change without changing the KB.
      const watcher = watch(folder, (_event, name) => {
        if (name === null || /\.(ya?ml|csv)$/i.test(String(name))) this.schedule();
      });
      watcher.on('error', (err) => this.log.error('kb.watch_failed', { dir: folder, err }));
      this.watchers.push(watcher);
    }
  }

  /** Calls `announce` after each reload of an edit this process saw on disk (several instances: tell the others to reload). */
  onEdit(announce: () => void): void {
    this.announce = announce;
  }

  /** Calls `listener` after every reload attempt (tests and the admin page wait on it). */
  onReload(listener: (r: ReloadResult) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        if (this.reload().ok) this.announce?.();
      } catch (err) {
        this.log.error('kb.reload_failed', { dir: this.dir, err });
      }
    }, RELOAD_DEBOUNCE_MS);
  }

  private tell(r: ReloadResult): ReloadResult {
    for (const l of this.listeners) l(r);
    return r;
  }
}

function logCacheEvent(log: Logger, e: CacheEvent): void {
  const { event, ...fields } = e;
  if (event === 'hit' || event === 'stored') log.info(`kb.cache_${event}`, fields);
  else log.error(`kb.cache_${event}`, { ...fields, message: 'building without the cache' });
}
