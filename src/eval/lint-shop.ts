/**
 * `tact kb lint`'s check that a shop is its own: warnings, never errors (the
 * KB loads and runs meanwhile), each naming the file, line and field to edit.
 *
 *   PLACEHOLDER  shop.yaml or escalation.yaml still holds a value the import
 *                left for the shop to fill (CHANGE ME, 你的店名, YOUR SHOP NAME)
 *   DEMO_SHOP    a KB other than the demo that would greet customers with
 *                the demo's name (no shop.yaml, or the demo's name in it), or
 *                hand them to the demo's teams (no escalation.yaml, or a team
 *                with the demo's Slack channel or supervisor)
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../kb/defaults.js';
import { openPackaged, readYaml } from '../kb/load.js';
import { referenceStandard } from '../kb/standard.js';
import { findPlaceholders } from '../kb/starter.js';
import type { KnowledgeBase } from '../kb/types.js';
import { isRecord } from '../kb/validate.js';
import { formatPath, type Path, type YamlFile } from '../kb/yaml-file.js';
import type { LintFinding } from './lint-finding.js';

export function shopFindings(dir: string, kb: KnowledgeBase): LintFinding[] {
  const demo = isDemo(dir);
  const shop = own(dir, 'shop.yaml');
  const escalation = own(dir, 'escalation.yaml');
  return [
    ...(shop ? placeholders(shop) : []),
    ...(escalation ? placeholders(escalation) : []),
    ...(demo ? [] : demoShop(shop, escalation, kb)),
  ];
}

/** The KB's own copy of a file, parsed again for its lines; undefined when the KB follows the reference's. */
function own(dir: string, name: string): YamlFile | undefined {
  const path = join(dir, name);
  return existsSync(path) ? readYaml(path, relative(process.cwd(), path) || path) : undefined;
}

function placeholders(f: YamlFile): LintFinding[] {
  return findPlaceholders(f).map((p) => warning('PLACEHOLDER', f, p.path, `${JSON.stringify(p.value)} is a placeholder from the import: ${p.hint}`));
}

function demoShop(shop: YamlFile | undefined, escalation: YamlFile | undefined, kb: KnowledgeBase): LintFinding[] {
  const reference = referenceStandard(openPackaged);
  const demoName = `"${reference.shop.name.zh} / ${reference.shop.name.en}"`;
  const out: LintFinding[] = [];
  if (!shop) {
    out.push(whole('shop.yaml', `this KB has no shop.yaml, so it follows the demo's: replies call the shop ${demoName} and handoffs with no other route go to the demo's default team; add a shop.yaml with your shop's name, service hours and default team (tact kb import writes a starter)`));
  } else {
    for (const lang of ['zh', 'en'] as const) {
      if (kb.shop.name[lang] === reference.shop.name[lang]) out.push(warning('DEMO_SHOP', shop, ['name', lang], `"${kb.shop.name[lang]}" is the demo shop's name: write your shop's name, which every greeting, farewell and agent reply uses`));
    }
  }
  if (!escalation) {
    const channels = [...reference.escalation.teams.values()].map((t) => t.channel);
    out.push(whole('escalation.yaml', `this KB has no escalation.yaml, so it follows the demo's: handoffs are posted to the demo's ${channels.length} Slack channels (${channels.slice(0, 3).join(', ')}, …) and its placeholder supervisors are pinged; add an escalation.yaml with your own teams (tact kb import writes a starter with one team)`));
  } else {
    out.push(...demoTeams(escalation, reference.escalation.teams));
  }
  return out;
}

/** Teams that still post to a demo channel or ping a demo supervisor (an escalation.yaml copied from the demo). */
function demoTeams(f: YamlFile, demo: KnowledgeBase['escalation']['teams']): LintFinding[] {
  const teams = isRecord(f.value) && Array.isArray(f.value['teams']) ? f.value['teams'] : [];
  const channels = new Set([...demo.values()].map((t) => t.channel));
  const slackIds = new Set([...demo.values()].map((t) => t.supervisor.slack));
  const names = new Set([...demo.values()].map((t) => t.supervisor.name));
  return teams.flatMap((t: unknown, i: number): LintFinding[] => {
    if (!isRecord(t)) return [];
    const sup = isRecord(t['supervisor']) ? t['supervisor'] : {};
    const out: LintFinding[] = [];
    if (typeof t['channel'] === 'string' && channels.has(t['channel'])) out.push(warning('DEMO_SHOP', f, ['teams', i, 'channel'], `${t['channel']} is a Slack channel of the demo shop: write the channel where this team sees its handoffs`));
    if (typeof sup['name'] === 'string' && names.has(sup['name'])) out.push(warning('DEMO_SHOP', f, ['teams', i, 'supervisor', 'name'], `${sup['name']} is a placeholder supervisor of the demo shop: write the name of this team's supervisor`));
    if (typeof sup['slack'] === 'string' && slackIds.has(sup['slack'])) out.push(warning('DEMO_SHOP', f, ['teams', i, 'supervisor', 'slack'], `${sup['slack']} is a placeholder Slack id of the demo shop: write this team's supervisor's Slack member id`));
    return out;
  });
}

function warning(code: LintFinding['code'], f: YamlFile, path: Path, message: string): LintFinding {
  return { severity: 'warning', code, file: f.file, line: f.lineOf(path), field: formatPath(path), message };
}

function whole(file: string, message: string): LintFinding {
  return { severity: 'warning', code: 'DEMO_SHOP', file, line: 0, field: '', message };
}

/** The demo KB shipped with Tact is the one KB that is the demo shop. */
function isDemo(dir: string): boolean {
  try {
    return realpathSync(dir) === realpathSync(join(packageRoot(), 'knowledge-base'));
  } catch {
    return false;
  }
}
