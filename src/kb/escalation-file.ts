/**
 * Reads escalation.yaml: the teams that own handed-off conversations (Slack
 * channel, supervisor, SLA), which team owns each FAQ category, complaint
 * cause and handoff reason, and the urgent SLA. Every team a route names
 * must exist, so a typo cannot send a customer nowhere. Service hours and the
 * default team are the shop's own and live in shop.yaml.
 */
import { readDuration } from './duration.js';
import { HANDOFF_REASONS, ID_PATTERN, type ComplaintCause, type Duration, type EscalationMatrix, type HandoffReason, type Sla, type Team } from './types.js';
import { checkKeys, describe, isRecord, readLocalized, readString, readStringList } from './validate.js';
import type { Path, YamlFile } from './yaml-file.js';

const TOP_KEYS = ['followUp', 'teams', 'routes', 'complaints', 'reasons', 'urgent'];
/** Fields this file once had, and where they live now. */
const MOVED: Readonly<Record<string, string>> = {
  service: 'service hours moved to shop.yaml (service: hours, timezone, days); move this section there',
  default: 'the default team moved to shop.yaml (defaultTeam: <team id>); move it there',
};
const FALLBACK: Duration = { n: 1, unit: 'h', text: '1h', seconds: 3600 };
const SLACK_CHANNEL = /^#[a-z0-9][a-z0-9._-]{0,79}$/;
/** A member (U…, W…) or a user group (S…), who is pinged when a handoff is escalated or past its SLA. */
const SLACK_MEMBER = /^[UWS][A-Z0-9]{2,20}$/;

export function readEscalation(f: YamlFile): EscalationMatrix {
  const root = isRecord(f.value) ? f.value : {};
  if (!isRecord(f.value)) f.problem([], `must be a mapping with ${TOP_KEYS.join(', ')}`);
  for (const [key, message] of Object.entries(MOVED)) if (key in root) f.problem([key], message);
  checkKeys(f, root, [], [...TOP_KEYS, ...Object.keys(MOVED)]);
  const teams = readTeams(f, root['teams']);
  const ref = (v: unknown, at: Path): string => {
    const id = readString(f, v, at, { required: true, max: 80 }) ?? '';
    if (id && !teams.has(id)) f.problem(at, `unknown team "${id}"; teams: ${[...teams.keys()].join(', ')}`);
    return id;
  };
  const complaints = isRecord(root['complaints']) ? root['complaints'] : {};
  if (!isRecord(root['complaints'])) f.problem(['complaints'], 'is required: complaint causes → {team, keywords}, and coordinator');
  const urgent = isRecord(root['urgent']) ? root['urgent'] : {};
  if (!isRecord(root['urgent'])) f.problem(['urgent'], 'is required: a mapping with sla');
  checkKeys(f, urgent, ['urgent'], ['sla']);
  return {
    followUp: readDuration(f, root['followUp'], ['followUp']) ?? FALLBACK,
    teams,
    routes: readRoutes(f, root['routes'], ref),
    complaintCauses: Object.entries(complaints).filter(([id]) => id !== 'coordinator').map(([id, v]) => readCause(f, id, v, ref)),
    coordinator: isRecord(complaints['coordinator']) ? ref(complaints['coordinator']['team'], ['complaints', 'coordinator', 'team']) : missing(f, ['complaints', 'coordinator'], 'is required: {team: …} for complaints with several causes'),
    reasons: readReasons(f, root['reasons'], ref),
    urgentSla: readSla(f, urgent['sla'], ['urgent', 'sla']),
  };
}

function missing(f: YamlFile, at: Path, message: string): string {
  f.problem(at, message);
  return '';
}

function readTeams(f: YamlFile, v: unknown): Map<string, Team> {
  const teams = new Map<string, Team>();
  if (!Array.isArray(v) || v.length === 0) {
    f.problem(['teams'], 'is required: a list of teams with id, name, channel, supervisor and sla');
    return teams;
  }
  v.forEach((t, i) => {
    const team = readTeam(f, t, ['teams', i]);
    if (!team) return;
    if (teams.has(team.id)) f.problem(['teams', i, 'id'], `duplicate team id "${team.id}"`);
    teams.set(team.id, team);
  });
  return teams;
}

function readTeam(f: YamlFile, v: unknown, at: Path): Team | undefined {
  if (!isRecord(v)) {
    f.problem(at, 'must be a mapping with id, name, channel, supervisor and sla');
    return undefined;
  }
  checkKeys(f, v, at, ['id', 'name', 'channel', 'supervisor', 'sla']);
  const id = readString(f, v['id'], [...at, 'id'], { required: true, max: 80 });
  if (id !== undefined && !ID_PATTERN.test(id)) f.problem([...at, 'id'], 'must be an id: letters, digits, - . _');
  const name = readLocalized(f, v['name'], [...at, 'name']);
  const channel = readString(f, v['channel'], [...at, 'channel'], { required: true, max: 81 });
  if (channel !== undefined && !SLACK_CHANNEL.test(channel)) f.problem([...at, 'channel'], 'must be a Slack channel name such as "#cs-logistics" (lowercase)');
  const sup = isRecord(v['supervisor']) ? v['supervisor'] : {};
  if (!isRecord(v['supervisor'])) f.problem([...at, 'supervisor'], 'is required: {name, slack}');
  checkKeys(f, sup, [...at, 'supervisor'], ['name', 'slack']);
  const supName = readString(f, sup['name'], [...at, 'supervisor', 'name'], { required: true, max: 80 });
  const slack = readString(f, sup['slack'], [...at, 'supervisor', 'slack'], { required: true, max: 24 });
  if (slack !== undefined && !SLACK_MEMBER.test(slack)) f.problem([...at, 'supervisor', 'slack'], 'must be a Slack member id such as U01ABCDEF, or a user group id such as S01ABCDEF');
  const sla = readSla(f, v['sla'], [...at, 'sla']);
  if (!id || !name || !channel || !supName || !slack) return undefined;
  return { id, name, channel, supervisor: { name: supName, slack }, sla };
}

function readSla(f: YamlFile, v: unknown, at: Path): Sla {
  if (!isRecord(v)) {
    f.problem(at, 'is required: {firstResponse, resolution}, e.g. {firstResponse: 1m, resolution: 24h}');
    return { firstResponse: FALLBACK, resolution: FALLBACK };
  }
  checkKeys(f, v, at, ['firstResponse', 'resolution']);
  const sla = { firstResponse: readDuration(f, v['firstResponse'], [...at, 'firstResponse']) ?? FALLBACK, resolution: readDuration(f, v['resolution'], [...at, 'resolution']) ?? FALLBACK };
  if (sla.firstResponse.seconds > sla.resolution.seconds) f.problem(at, 'firstResponse must not be longer than resolution');
  return sla;
}

function readRoutes(f: YamlFile, v: unknown, ref: (v: unknown, at: Path) => string): Record<string, string> {
  if (!isRecord(v)) {
    f.problem(['routes'], 'is required: FAQ category → team id');
    return {};
  }
  return Object.fromEntries(Object.entries(v).map(([category, team]) => [category, ref(team, ['routes', category])]));
}

function readCause(f: YamlFile, id: string, v: unknown, ref: (v: unknown, at: Path) => string): ComplaintCause {
  const at = ['complaints', id];
  if (!isRecord(v)) {
    f.problem(at, 'must be a mapping with team and keywords {zh, en}');
    return { id, team: '', keywords: [] };
  }
  checkKeys(f, v, at, ['team', 'keywords']);
  const kw = isRecord(v['keywords']) ? v['keywords'] : {};
  if (!isRecord(v['keywords'])) f.problem([...at, 'keywords'], 'is required: {zh: [...], en: [...]}');
  checkKeys(f, kw, [...at, 'keywords'], ['zh', 'en']);
  const keywords = [...readStringList(f, kw['zh'], [...at, 'keywords', 'zh'], 100), ...readStringList(f, kw['en'], [...at, 'keywords', 'en'], 100)];
  return { id, team: ref(v['team'], [...at, 'team']), keywords };
}

function readReasons(f: YamlFile, v: unknown, ref: (v: unknown, at: Path) => string): EscalationMatrix['reasons'] {
  if (v === undefined) return {};
  if (!isRecord(v)) {
    f.problem(['reasons'], `must be a mapping of handoff reason → {team, urgent}, not ${describe(v)}`);
    return {};
  }
  checkKeys(f, v, ['reasons'], HANDOFF_REASONS);
  const out: Partial<Record<HandoffReason, { team: string; urgent: boolean }>> = {};
  for (const [reason, r] of Object.entries(v)) {
    if (!(HANDOFF_REASONS as readonly string[]).includes(reason)) continue;
    const at = ['reasons', reason];
    if (!isRecord(r)) {
      f.problem(at, 'must be a mapping with team and optional urgent: true');
      continue;
    }
    checkKeys(f, r, at, ['team', 'urgent']);
    const urgent = r['urgent'] ?? false;
    if (typeof urgent !== 'boolean') f.problem([...at, 'urgent'], 'must be true or false');
    out[reason as HandoffReason] = { team: ref(r['team'], [...at, 'team']), urgent: urgent === true };
  }
  return out;
}
