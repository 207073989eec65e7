/**
 * The service standard a KB follows: reply phrasing, conversational
 * intents, the emotion lexicon, the handoff policy, tone rules and the
 * escalation matrix — one YAML file each in the KB directory.
 *
 * The demo knowledge base shipped with Tact holds the reference standard.
 * A KB that lacks one of these files follows the reference for it (a CSV
 * import starts that way); a KB's phrasing.yaml may override single
 * templates, the other files replace the reference's file as a whole (an
 * intents.yaml that leaves out the optional intents gets the reference's
 * examples for them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './defaults.js';
import { readEmotion } from './emotion-file.js';
import { KbError, type KbProblem } from './errors.js';
import { readEscalation } from './escalation-file.js';
import { readIntents } from './intents-file.js';
import { readPhrasing } from './phrasing-file.js';
import { readPolicy } from './policy-file.js';
import { readTone } from './tone-file.js';
import { OPTIONAL_INTENTS, type IntentExamples, type KnowledgeBase } from './types.js';
import type { YamlFile } from './yaml-file.js';

export type ServiceStandard = Pick<KnowledgeBase, 'phrasing' | 'intents' | 'emotion' | 'policy' | 'tone' | 'escalation'>;

type Readers = { readonly [K in keyof ServiceStandard]: readonly [file: string, read: (f: YamlFile) => ServiceStandard[K]] };

export const STANDARD_FILES: Readers = {
  phrasing: ['phrasing.yaml', readPhrasing],
  intents: ['intents.yaml', readIntents],
  emotion: ['emotion.yaml', readEmotion],
  policy: ['policy.yaml', readPolicy],
  tone: ['tone.yaml', readTone],
  escalation: ['escalation.yaml', readEscalation],
};

/** Opens a KB file by name; undefined when it is absent or could not be parsed (its problems are recorded). */
export type OpenFile = (name: string) => YamlFile | undefined;

const reference: Partial<ServiceStandard> = {};

/** One file of the reference standard in the package's knowledge-base/, read once; a broken one is refused with file and line. */
function referencePart<K extends keyof ServiceStandard>(key: K, open: (path: string) => YamlFile): ServiceStandard[K] {
  const cached = reference[key];
  if (cached) return cached;
  const [file, reader] = STANDARD_FILES[key];
  const path = join(packageRoot(), 'knowledge-base', file);
  if (!existsSync(path)) throw new KbError([{ code: 'KB_NOT_FOUND', file: path, line: 0, field: '', message: 'the reference service standard is missing this file; reinstall Tact' }]);
  const f = open(path);
  const value = reader(f);
  if (f.problems.length > 0) throw new KbError(f.problems);
  reference[key] = value;
  return value;
}

/** The whole reference standard. */
export function referenceStandard(open: (path: string) => YamlFile): ServiceStandard {
  return {
    phrasing: referencePart('phrasing', open),
    intents: referencePart('intents', open),
    emotion: referencePart('emotion', open),
    policy: referencePart('policy', open),
    tone: referencePart('tone', open),
    escalation: referencePart('escalation', open),
  };
}

/** A KB's own intents, with the reference's examples for the optional intents it leaves out; the reference's when it has none. */
function withOptionalIntents(own: IntentExamples | undefined, reference: () => IntentExamples): IntentExamples {
  if (!own) return reference();
  const missing = [...OPTIONAL_INTENTS].filter((i) => own[i].examples.length === 0);
  if (missing.length === 0) return own;
  const ref = reference();
  return { ...own, ...Object.fromEntries(missing.map((i) => [i, ref[i]])) };
}

/** A KB directory's standard: its own files where present (as `open` finds them), the reference's otherwise. */
export function kbStandard(open: OpenFile, openPackaged: (path: string) => YamlFile, problems: KbProblem[]): ServiceStandard {
  const read = <K extends keyof ServiceStandard>(key: K): ServiceStandard[K] | undefined => {
    const [file, reader] = STANDARD_FILES[key];
    const f = open(file);
    if (!f) return undefined;
    const value = reader(f);
    problems.push(...f.problems.splice(0));
    return value;
  };
  const own = <K extends keyof ServiceStandard>(key: K): ServiceStandard[K] => read(key) ?? referencePart(key, openPackaged);
  return {
    phrasing: { ...referencePart('phrasing', openPackaged), ...read('phrasing') },
    intents: withOptionalIntents(read('intents'), () => referencePart('intents', openPackaged)),
    emotion: own('emotion'),
    policy: own('policy'),
    tone: own('tone'),
    escalation: own('escalation'),
  };
}
