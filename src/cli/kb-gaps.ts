/**
 * `tact kb gaps [DIR] [--data DIR] [--since DATE] [--top N] [--json]`: the
 * questions customers asked that the KB could not answer, clustered and
 * ranked (see src/eval/gaps.ts). Reads the server's data directory
 * ($TACT_DATA_DIR, else ./data) without locking it, so it runs beside a
 * live server; with $TACT_DATABASE_URL (and no --data), the database the
 * instances share.
 */
import { resolve } from 'node:path';
import { buildFaqIndex } from '../bot/core/faq-index.js';
import { redactedUrl } from '../bot/store/database-url.js';
import { readAllConversations } from '../bot/store/lowdb-store.js';
import { readConversations, type StoredEvent } from '../bot/store/store.js';
import { findGaps, type Gap } from '../eval/gaps.js';
import { languageData } from '../kb/language-data.js';
import { loadKnowledgeBase } from '../kb/load.js';
import { parse, resolveKbPath, UsageError } from './usage.js';

export async function kbGaps(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, { data: { type: 'string' }, since: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' } });
  const since = values.since === undefined ? null : new Date(values.since);
  if (since !== null && Number.isNaN(since.getTime())) throw new UsageError(`--since must be a date such as 2026-11-01, not ${JSON.stringify(values.since)}`);
  const top = values.top === undefined ? 20 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a whole number ≥ 1');
  const database = values.data === undefined ? process.env['TACT_DATABASE_URL'] || null : null;
  const dataDir = database !== null ? redactedUrl(database) : resolve(values.data ?? (process.env['TACT_DATA_DIR'] || 'data'));
  const index = buildFaqIndex(loadKnowledgeBase(resolveKbPath(positionals[0])), languageData());
  const conversations = database !== null ? await readDatabase(database, since) : await readAllConversations(dataDir);
  const gaps = findGaps(conversations, index, since).slice(0, top);
  process.stdout.write(values.json ? `${JSON.stringify({ dataDir, gaps })}\n` : format(dataDir, gaps));
  return 0;
}

/** The conversations the instances' database holds, active since `since` when given (the PostgreSQL store, opened as the server opens it). */
async function readDatabase(url: string, since: Date | null): Promise<Map<string, readonly StoredEvent[]>> {
  const { openPgStore } = await import('../bot/store/pg-store.js');
  const store = await openPgStore(url);
  try {
    return await readConversations(store, since ? { activeSince: since } : {});
  } finally {
    await store.close();
  }
}

function format(dataDir: string, gaps: readonly Gap[]): string {
  if (gaps.length === 0) return `${dataDir}: no unanswered or clarified questions stored\n`;
  const lines = gaps.map((g, i) => {
    const closest = g.closestFaq ? `closest FAQ: ${g.closestFaq.id} "${g.closestFaq.question}" (${g.closestFaq.confidence})` : 'no close FAQ';
    const examples = g.examples.map((e) => `      · ${e}`).join('\n');
    return `${i + 1}. ×${g.count} ${g.action === 'none' ? 'unanswered' : 'clarified'}: ${g.message}\n   ${closest}; last asked ${g.lastAsked}\n${examples}`;
  });
  return `${lines.join('\n')}\n`;
}
