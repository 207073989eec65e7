/**
 * What the benchmark's customers ask: the demo KB's regression cases that
 * Tact answers with an FAQ. Shared by the socket section and the reliability
 * soak, whose customers must keep getting answers, not be handed to a person.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../src/bot/core/decide.js';
import { buildFaqIndex } from '../src/bot/core/faq-index.js';
import { packageRoot } from '../src/kb/defaults.js';
import { languageData } from '../src/kb/language-data.js';
import { loadKnowledgeBase } from '../src/kb/load.js';

/**
 * The demo KB's regression cases that Tact answers with an FAQ when asked
 * first. Cases it clarifies or misses would, twice in a row, hand the
 * session to a person by policy, and the bot then stays quiet.
 */
export function faqTexts(): string[] {
  const kbDir = join(packageRoot(), 'knowledge-base');
  const index = buildFaqIndex(loadKnowledgeBase(kbDir), languageData());
  return readFileSync(join(kbDir, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text)
    .filter((text) => decide(index, text).action === 'answer');
}
