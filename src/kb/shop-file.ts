/**
 * Reads shop.yaml: the shop's name in each language, its chat service hours,
 * its other contact channels and its default team. The name reaches every
 * customer (it fills {shop} in the phrasing library), so it is held to a
 * short single line with no markup or placeholder braces; the default team
 * is checked against escalation.yaml's teams by the standard's loader, which
 * sees both files.
 */
import { ID_PATTERN, WEEKDAYS, type ServiceHours, type ShopContact, type ShopProfile } from './types.js';
import { checkKeys, describe, isRecord, readString, readStringList } from './validate.js';
import type { Path, YamlFile } from './yaml-file.js';

const TOP_KEYS = ['name', 'service', 'contact', 'defaultTeam'];
/** A shop's name is a sign over the door, not a sentence. */
export const MAX_SHOP_NAME = 40;
/** Control characters, bidirectional overrides, and what markup or a template would read as its own. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069{}<>]/u;
const HOURS = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))-(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const HOTLINE = /^\+?[0-9][0-9 ()-]{2,29}$/;
const EMAIL = /^[^\s@<>{}]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const UNSET: ShopProfile = { name: { zh: '', en: '' }, service: { hours: '', timezone: 'UTC', days: [] }, contact: {}, defaultTeam: '' };

export function readShop(f: YamlFile): ShopProfile {
  if (!isRecord(f.value)) {
    f.problem([], `must be a mapping with ${TOP_KEYS.join(', ')}`);
    return UNSET;
  }
  const root = f.value;
  checkKeys(f, root, [], TOP_KEYS);
  const defaultTeam = readString(f, root['defaultTeam'], ['defaultTeam'], { required: true, max: 80 }) ?? '';
  if (defaultTeam && !ID_PATTERN.test(defaultTeam)) f.problem(['defaultTeam'], 'must be a team id from escalation.yaml: letters, digits, - . _');
  return { name: readName(f, root['name']), service: readService(f, root['service']), contact: readContact(f, root['contact']), defaultTeam };
}

function readName(f: YamlFile, v: unknown): ShopProfile['name'] {
  if (!isRecord(v)) {
    f.problem(['name'], v === undefined ? 'is required: {zh: …, en: …}, the shop\'s name as customers see it in each language (the two may be the same)' : `must be {zh: …, en: …}, not ${describe(v)}`);
    return UNSET.name;
  }
  checkKeys(f, v, ['name'], ['zh', 'en']);
  return { zh: readLine(f, v['zh'], ['name', 'zh'], MAX_SHOP_NAME) ?? '', en: readLine(f, v['en'], ['name', 'en'], MAX_SHOP_NAME) ?? '' };
}

/** One line of text customers will read: required, short, and nothing a browser or a template would interpret. */
function readLine(f: YamlFile, v: unknown, at: Path, max: number): string | undefined {
  const s = readString(f, v, at, { required: true, max });
  if (s === undefined) return undefined;
  if (UNSAFE_TEXT.test(s)) {
    f.problem(at, 'must be one plain line: no control or direction characters, and none of { } < >');
    return undefined;
  }
  return s;
}

function readService(f: YamlFile, v: unknown): ServiceHours {
  if (!isRecord(v)) {
    f.problem(['service'], 'is required: a mapping with hours ("09:00-22:00"), timezone (Asia/Shanghai) and days ([mon, tue, …])');
    return UNSET.service;
  }
  checkKeys(f, v, ['service'], ['hours', 'timezone', 'days']);
  const hours = readString(f, v['hours'], ['service', 'hours'], { required: true, max: 11 }) ?? '';
  if (hours) checkHours(f, hours);
  const timezone = readString(f, v['timezone'], ['service', 'timezone'], { required: true, max: 64 }) ?? 'UTC';
  if (!validTimezone(timezone)) f.problem(['service', 'timezone'], `"${timezone}" is not an IANA time zone such as Asia/Shanghai or Europe/Berlin`);
  const days = readStringList(f, v['days'], ['service', 'days'], 20);
  if (v['days'] === undefined || (Array.isArray(v['days']) && v['days'].length === 0)) f.problem(['service', 'days'], 'is required: the open days, e.g. [mon, tue, wed, thu, fri]');
  days.forEach((d, i) => {
    if (!(WEEKDAYS as readonly string[]).includes(d)) f.problem(['service', 'days', i], `must be one of ${WEEKDAYS.join(', ')}`);
    else if (days.indexOf(d) !== i) f.problem(['service', 'days', i], `"${d}" is listed twice`);
  });
  return { hours, timezone, days };
}

function checkHours(f: YamlFile, hours: string): void {
  const m = HOURS.exec(hours);
  if (!m) {
    f.problem(['service', 'hours'], `must look like 09:00-22:00 (24-hour clock, open-close), not "${hours}"`);
    return;
  }
  const minutes = (h: string | undefined, min: string | undefined): number => Number(h) * 60 + Number(min);
  const open = minutes(m[1] ?? m[3], m[2] ?? m[4]);
  const close = minutes(m[5] ?? m[7], m[6] ?? m[8]);
  if (close <= open) f.problem(['service', 'hours'], `closes at or before it opens; hours past midnight are not supported: use 00:00-24:00 for all day`);
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function readContact(f: YamlFile, v: unknown): ShopContact {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) {
    f.problem(['contact'], `must be a mapping with hotline and/or email, not ${describe(v)}`);
    return {};
  }
  checkKeys(f, v, ['contact'], ['hotline', 'email']);
  const hotline = v['hotline'] === undefined ? undefined : readLine(f, v['hotline'], ['contact', 'hotline'], 30);
  if (hotline !== undefined && !HOTLINE.test(hotline)) f.problem(['contact', 'hotline'], 'must be a phone number: digits, spaces, - ( ) and an optional leading +, e.g. 400-820-6060');
  const email = v['email'] === undefined ? undefined : readLine(f, v['email'], ['contact', 'email'], 254);
  if (email !== undefined && !EMAIL.test(email)) f.problem(['contact', 'email'], 'must be an e-mail address such as service@example.com');
  return { ...(hotline && HOTLINE.test(hotline) ? { hotline } : {}), ...(email && EMAIL.test(email) ? { email } : {}) };
}
