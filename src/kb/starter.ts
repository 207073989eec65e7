/**
 * The shop.yaml and escalation.yaml a CSV import writes, so a new shop
 * never speaks as the demo shop or hands its customers to the demo's
 * people: one team takes every handoff, and everything the importer cannot
 * know (the shop's name without --name-zh/--name-en, the team's Slack
 * channel and supervisor) is a placeholder marked CHANGE ME that the KB
 * still loads with and `tact kb lint` keeps pointing at until it is
 * replaced.
 *
 *   writeStarters(dir, ['cakes', 'orders'], {})   → writes what is missing, keeps what exists
 *   findPlaceholders(yamlFile)                      → [{ path: ['name', 'zh'], hint: … }, …]
 */
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KbError, type KbProblem } from './errors.js';
import { readShop } from './shop-file.js';
import type { Lang } from './types.js';
import { isRecord } from './validate.js';
import { YamlFile, type Path } from './yaml-file.js';

/** What the starter calls a shop whose name the import was not given. */
export const STARTER_NAME: Readonly<Record<Lang, string>> = { zh: '你的店名', en: 'YOUR SHOP NAME' };
export const STARTER_TEAM = 'support';
/** Marks every other starter value that must be replaced; valid where it stands, so the KB loads and runs meanwhile. */
const CHANGE_ME = /change[\s_-]?me/i;

export interface StarterResult {
  readonly written: readonly string[];
  /** Files that already existed and were left as they are. */
  readonly kept: readonly string[];
}

/**
 * Writes the starter shop.yaml and escalation.yaml into a KB directory,
 * each only where none exists: they hold the shop's own edits (name, roster,
 * routes), which re-importing FAQs must never lose. A name that shop.yaml
 * would refuse is refused here, before anything is written.
 */
export function writeStarters(dir: string, categories: readonly string[], name: Partial<Record<Lang, string>>): StarterResult {
  const problems = starterNameProblems(name);
  if (problems.length > 0) throw new KbError(problems);
  const shop = starterShopYaml(name);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const kept: string[] = [];
  for (const [file, text] of [['shop.yaml', shop], ['escalation.yaml', starterEscalationYaml(categories)]] as const) {
    const path = join(dir, file);
    if (createOnly(path, text)) written.push(path);
    else kept.push(path);
  }
  return { written, kept };
}

/** What shop.yaml would say about a shop name given on the command line (too long, markup, line breaks); empty when it is fine. */
export function starterNameProblems(name: Partial<Record<Lang, string>>): KbProblem[] {
  const f = new YamlFile('shop.yaml', starterShopYaml(name));
  readShop(f);
  return f.problems;
}

/** Writes the whole file under a temporary name and links it into place: atomic, and never replaces an existing file. */
function createOnly(path: string, text: string): boolean {
  if (existsSync(path)) return false;
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A name given for one language serves both, so no placeholder reaches customers of the other. */
export function starterShopYaml(given: Partial<Record<Lang, string>>): string {
  const zh = given.zh ?? given.en;
  const en = given.en ?? given.zh;
  const line = (lang: Lang, v: string | undefined): string => (v === undefined ? `${yamlText(STARTER_NAME[lang])}   # CHANGE ME: the shop's name as ${lang === 'zh' ? 'Chinese' : 'English'}-speaking customers should see it` : yamlText(v));
  return `# The shop itself: who customers are talking to, when people are on duty,
# how else to reach the shop, and who takes a handoff nothing else claims.
# Written by \`tact kb import\` as a starting point. \`tact kb lint\` warns
# while a value still holds a placeholder (marked CHANGE ME).
#
#   name         The shop's name in each language (the two may be the same).
#                It fills {shop} in every reply: the greeting, the farewell,
#                the agents' suggested replies, the fraud warning. One plain
#                line of at most 40 characters; no { } < >.
#   service      When people answer chat handoffs: hours "HH:MM-HH:MM"
#                (24-hour clock, local time; 00:00-24:00 for all day), the
#                IANA time zone (Asia/Shanghai, Europe/Berlin, ...) and the
#                open days (mon tue wed thu fri sat sun). Outside these hours
#                a handoff takes a message and promises a callback. Check
#                these: they are the importer's guess.
#   contact      Optional: hotline and email, which fill {hotline} and
#                {email} if a reply template (phrasing.yaml) uses them.
#   defaultTeam  The team (an id in escalation.yaml) for a bare "talk to a
#                person" and every handoff no other rule routes. This file is
#                its only home.

name:
  zh: ${line('zh', zh)}
  en: ${line('en', en)}

service:
  hours: "09:00-18:00"
  timezone: Asia/Shanghai
  days: [mon, tue, wed, thu, fri]

# contact:
#   hotline: 400-000-0000
#   email: service@example.com

defaultTeam: ${STARTER_TEAM}
`;
}

export function starterEscalationYaml(categories: readonly string[]): string {
  const routes = [...new Set(categories)].sort().map((c) => `  ${yamlKey(c)}: ${STARTER_TEAM}`);
  return `# Escalation: who takes over when Tact hands a conversation to a person.
# Written by \`tact kb import\` as a starting point: one team takes every
# handoff. Replace the values marked CHANGE ME (\`tact kb lint\` warns until
# you do); the KB loads and runs meanwhile. Tact's demo knowledge base
# (knowledge-base/escalation.yaml in the package) shows a full matrix with
# ten teams, complaint causes and their keywords.
#
#   followUp   A resolved complaint gets a follow-up within this time.
#   teams      Every team that can own a handed-off conversation: id, name
#              (en as it reads in a sentence: "the customer service team"),
#              the Slack channel its handoffs are posted to, the supervisor
#              pinged when one is urgent or late (name + Slack member id),
#              and its SLA (firstResponse within chat hours, resolution).
#   routes     FAQ category -> team. Every category of the import is listed;
#              a new category needs a line here.
#   complaints Complaint causes, each {team, keywords: {zh, en}} (none yet:
#              every complaint goes by its category, else to the default
#              team), and the coordinator for a complaint with several.
#   reasons    Handoff reasons -> team; urgent: true uses the urgent SLA.
#   urgent     The SLA for urgent cases.
# The default team (for everything else) is shop.yaml's defaultTeam.
# Durations: 30s, 1m, 4h, 24h, 2d, 3wd (working days).

followUp: 72h

teams:
  - id: ${STARTER_TEAM}
    name: { zh: 客服组, en: the customer service team }
    channel: "#change-me"                                # CHANGE ME: the Slack channel for handoffs, e.g. "#cs-support"
    supervisor: { name: CHANGE ME, slack: U0CHANGEME }   # CHANGE ME: the supervisor's name and Slack member id (U…)
    sla: { firstResponse: 1m, resolution: 24h }

routes:
${routes.length > 0 ? routes.join('\n') : '  {}'}

complaints:
  coordinator: { team: ${STARTER_TEAM} }

reasons:
  safety: { team: ${STARTER_TEAM}, urgent: true }
  fraud: { team: ${STARTER_TEAM}, urgent: true }
  account_security: { team: ${STARTER_TEAM}, urgent: true }
  legal: { team: ${STARTER_TEAM}, urgent: true }

urgent:
  sla: { firstResponse: 30s, resolution: 4h }
`;
}

/** A value still to be replaced, and what to write instead. */
export interface Placeholder {
  readonly path: Path;
  readonly value: string;
  readonly hint: string;
}

/** Every value in a shop.yaml or escalation.yaml that is still a starter placeholder. */
export function findPlaceholders(f: YamlFile): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (typeof v === 'string') {
      if (isPlaceholder(v, path)) out.push({ path, value: v, hint: hintFor(path) });
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isRecord(v)) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(f.value, []);
  return out;
}

function isPlaceholder(v: string, path: Path): boolean {
  if (CHANGE_ME.test(v)) return true;
  return path[0] === 'name' && (v === STARTER_NAME.zh || v === STARTER_NAME.en);
}

function hintFor(path: Path): string {
  const last = path[path.length - 1];
  if (path[0] === 'name') return "write the shop's name as customers should see it: it fills {shop} in every greeting, farewell and agent reply";
  if (last === 'channel') return 'write the Slack channel where this team sees its handoffs, e.g. "#cs-support" (invite the Tact app there)';
  if (path.includes('supervisor') && last === 'name') return 'write the name of the supervisor who is pinged when a handoff is urgent or late';
  if (path.includes('supervisor') && last === 'slack') return "write that supervisor's Slack member id (U…, from their Slack profile) or a user group id (S…)";
  return 'replace it with the real value';
}

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML. */
function yamlText(s: string): string {
  return JSON.stringify(s);
}

/** Category ids are plain keys unless YAML would read them as something else (yes, null, 123). */
function yamlKey(id: string): string {
  return /^[a-z][a-z0-9_-]*$/i.test(id) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(id) ? id : JSON.stringify(id);
}
