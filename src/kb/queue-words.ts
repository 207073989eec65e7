/**
 * lexicon/queue-requests.yaml, read once and checked: what a customer in the
 * queue may say to ask about the wait or to cancel (intents/queue-request.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueRequestWords } from '../intents/queue-request.js';
import { packageRoot } from './defaults.js';
import { KbError } from './errors.js';
import { readZhEnLists } from './validate.js';
import { YamlFile } from './yaml-file.js';

let cache: QueueRequestWords | null = null;

export function builtinQueueWords(): QueueRequestWords {
  cache ??= readQueueWords(join(packageRoot(), 'lexicon', 'queue-requests.yaml'));
  return cache;
}

export function readQueueWords(path: string): QueueRequestWords {
  const f = new YamlFile(path, readFileSync(path, 'utf8'));
  const root = f.value;
  const list = (key: string): string[] => readZhEnLists(f, root, key, 60);
  const words = { waitTime: list('wait_time'), cancel: list('cancel'), cancelAlone: list('cancel_alone') };
  if (f.problems.length > 0) throw new KbError(f.problems);
  return words;
}
