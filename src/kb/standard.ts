/**
 * The service standard a KB follows: the shop itself (name, hours, default
 * team), reply phrasing, conversational intents, the emotion lexicon, the
 * handoff policy, tone rules and the escalation matrix — one YAML file each
 * in the KB directory.
 *
 * The demo knowledge base shipped with Tact holds the reference standard.
 * A KB that lacks one of these files follows the reference for it; a KB's
 * phrasing.yaml may override single templates, the other files replace the
 * reference's file as a whole. A CSV import writes its own shop.yaml and
 * escalation.yaml, so an imported shop never speaks as the demo shop.
 *
 * Two checks need two files: the shop's default team must be a team of the
 * escalation matrix in force, and the phrasing gets the shop's name (and
 * contact channels) filled in for {shop}, {hotline} and {email}.
 * (An intents.yaml that leaves out the optional intents gets the reference's
 * examples for them.)
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
import { readShop } from './shop-file.js';
import { fillShop } from './shop-phrasing.js';
import { readTone } from './tone-file.js';
import { OPTIONAL_INTENTS, type EscalationMatrix, type IntentExamples, type KnowledgeBase, type ShopProfile } from './types.js';
import { formatPath, type Path, type YamlFile } from './yaml-file.js';

export type ServiceStandard = Pick<KnowledgeBase, 'shop' | 'phrasing' | 'intents' | 'emotion' | 'policy' | 'tone' | 'escalation'>;

type Readers = { readonly [K in keyof ServiceStandard]: readonly [file: string, read: (f: YamlFile) => ServiceStandard[K]] };

export const STANDARD_FILES: Readers = {
  shop: ['shop.yaml', readShop],
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
  const shop = referencePart('shop', open);
  return {
    shop,
    phrasing: fillShop(referencePart('phrasing', open), shop),
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
  const read = <K extends keyof ServiceStandard>(key: K, f: YamlFile | undefined): ServiceStandard[K] | undefined => {
    if (!f) return undefined;
    const value = STANDARD_FILES[key][1](f);
    problems.push(...f.problems.splice(0));
    return value;
  };
  const own = <K extends keyof ServiceStandard>(key: K): ServiceStandard[K] => read(key, open(STANDARD_FILES[key][0])) ?? referencePart(key, openPackaged);
  const before = problems.length;
  const shopFile = open(STANDARD_FILES.shop[0]);
  const shopBroken = !shopFile && problems.length > before;
  const shop = read('shop', shopFile) ?? referencePart('shop', openPackaged);
  const escalation = own('escalation');
  if (!shopBroken) problems.push(...defaultTeamProblems(shop, shopFile, escalation));
  const reported = new Set<string>();
  const phrasing = fillShop({ ...referencePart('phrasing', openPackaged), ...read('phrasing', open(STANDARD_FILES.phrasing[0])) }, shop, (m) => {
    const key = `${m.template} ${m.placeholder}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(shopProblem(shopFile, ['contact', m.placeholder], `phrasing template ${m.template} uses {${m.placeholder}}, but the shop lists no contact.${m.placeholder}: add it to shop.yaml, or take {${m.placeholder}} out of the template`));
  });
  return { shop, phrasing, intents: withOptionalIntents(read('intents', open(STANDARD_FILES.intents[0])), () => referencePart('intents', openPackaged)), emotion: own('emotion'), policy: own('policy'), tone: own('tone'), escalation };
}

/** The shop's default team must be one of the teams in force; said where the editor can fix it. */
function defaultTeamProblems(shop: ShopProfile, shopFile: YamlFile | undefined, escalation: EscalationMatrix): KbProblem[] {
  if (!shop.defaultTeam || escalation.teams.size === 0 || escalation.teams.has(shop.defaultTeam)) return [];
  const teams = [...escalation.teams.keys()].join(', ');
  return [shopProblem(shopFile, ['defaultTeam'], shopFile ? `unknown team "${shop.defaultTeam}"; teams in escalation.yaml: ${teams}` : `escalation.yaml has no team "${shop.defaultTeam}", the default team of the reference shop.yaml: add a shop.yaml with your shop's name, hours and defaultTeam (one of ${teams})`)];
}

/** A problem about shop.yaml: at its line when the KB has its own, else about the reference file the KB follows. */
function shopProblem(f: YamlFile | undefined, path: Path, message: string): KbProblem {
  return { code: 'KB_SCHEMA', file: f?.file ?? 'shop.yaml (reference)', line: f ? f.lineOf(path) : 0, field: formatPath(path), message };
}
