/**
 * Reads intents.yaml: examples for each built-in conversational intent
 * (greeting, ask_human, complaint, …) and optional cues, phrases that alone
 * mean the intent; ask_human may also list `requestWords`, the other words
 * a request for a person is made of (人工, 经理, agent, 我要, speak). Every
 * intent needs examples: an intent the classifier never saw could never be
 * recognised. The optional intents (jobs, partnership, press) may be left
 * out; they then have none here, and standard.ts takes the reference's.
 */
import { CONVERSATIONAL_INTENTS, OPTIONAL_INTENTS, type ConversationalIntent, type IntentExamples } from './types.js';
import { checkKeys, isRecord, readStringList } from './validate.js';
import type { YamlFile } from './yaml-file.js';

export const MIN_INTENT_EXAMPLES = 3;

export function readIntents(f: YamlFile): IntentExamples {
  const root = f.value;
  const out = Object.fromEntries(CONVERSATIONAL_INTENTS.map((i) => [i, { examples: [] as string[], cues: [] as string[] }])) as Record<ConversationalIntent, { examples: string[]; cues: string[]; requestWords?: string[] }>;
  if (!isRecord(root) || !isRecord(root['intents'])) {
    f.problem([], `must be a mapping with \`intents\`: ${CONVERSATIONAL_INTENTS.join(', ')}`);
    return out;
  }
  checkKeys(f, root, [], ['intents']);
  const intents = root['intents'];
  checkKeys(f, intents, ['intents'], CONVERSATIONAL_INTENTS);
  for (const intent of CONVERSATIONAL_INTENTS) {
    const v = intents[intent];
    const at = ['intents', intent];
    if (v === undefined && OPTIONAL_INTENTS.has(intent)) continue;
    if (!isRecord(v)) {
      f.problem(at, `is required: a mapping with \`examples\` (at least ${MIN_INTENT_EXAMPLES})`);
      continue;
    }
    checkKeys(f, v, at, intent === 'ask_human' ? ['examples', 'cues', 'requestWords'] : ['examples', 'cues']);
    const examples = readStringList(f, v['examples'], [...at, 'examples'], 500);
    if (examples.length < MIN_INTENT_EXAMPLES) f.problem([...at, 'examples'], `needs at least ${MIN_INTENT_EXAMPLES} examples`);
    const cues = readStringList(f, v['cues'], [...at, 'cues'], 100);
    out[intent] = intent === 'ask_human' ? { examples, cues, requestWords: readStringList(f, v['requestWords'], [...at, 'requestWords'], 40) } : { examples, cues };
  }
  return out;
}
