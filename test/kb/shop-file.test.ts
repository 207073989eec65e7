import assert from 'node:assert/strict';
import { phrase } from '../../src/bot/core/phrasing.js';
import { KbError, type KbProblem } from '../../src/kb/errors.js';
import { loadKnowledgeBase, openPackaged } from '../../src/kb/load.js';
import { referenceStandard } from '../../src/kb/standard.js';
import { bareShopKb, cleanTempDirs } from '../helpers/temp-kb.js';

const SHOP = `name:
  zh: 甜心烘焙
  en: Sweetheart Bakery
service:
  hours: "08:00-20:00"
  timezone: Europe/Berlin
  days: [tue, wed, thu, fri, sat]
contact:
  hotline: +49 30 1234567
  email: hello@sweetheart.example
defaultTeam: general
`;

function problems(files: Record<string, string>): KbProblem[] {
  try {
    loadKnowledgeBase(bareShopKb(files));
  } catch (err) {
    assert.ok(err instanceof KbError, String(err));
    return [...err.problems];
  }
  assert.fail('the KB was accepted');
}

/** The one problem a shop.yaml gets, as `file:line: field: message`. */
function refusal(shop: string): string {
  const ps = problems({ 'shop.yaml': shop });
  assert.equal(ps.length, 1, ps.map((p) => p.message).join('\n'));
  const p = ps[0] as KbProblem;
  assert.equal(p.code, 'KB_SCHEMA');
  return `${p.file.replace(/.*\//, '')}:${p.line}: ${p.field}: ${p.message}`;
}

describe('shop.yaml', () => {
  after(cleanTempDirs);

  it("reads the shop's name, hours, contact channels and default team", () => {
    const { shop } = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP }));
    assert.deepEqual(shop, {
      name: { zh: '甜心烘焙', en: 'Sweetheart Bakery' },
      service: { hours: '08:00-20:00', timezone: 'Europe/Berlin', days: ['tue', 'wed', 'thu', 'fri', 'sat'] },
      contact: { hotline: '+49 30 1234567', email: 'hello@sweetheart.example' },
      defaultTeam: 'general',
    });
  });

  it("gives a KB without shop.yaml the demo shop's, as for every other standard file", () => {
    const kb = loadKnowledgeBase(bareShopKb());
    assert.equal(kb.shop, referenceStandard(openPackaged).shop);
    assert.equal(kb.shop.name.zh, 'Tact 商城');
    assert.equal(kb.shop.defaultTeam, 'general');
  });

  it("greets the customer with the shop's own name in each language", () => {
    const kb = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP }));
    assert.equal(phrase(kb.phrasing, 'voice.greeting', 'zh'), '您好，欢迎光临甜心烘焙，请问有什么可以帮您？');
    assert.equal(phrase(kb.phrasing, 'voice.greeting', 'en'), 'Hello, welcome to Sweetheart Bakery. How can we help you today?');
    assert.equal(phrase(kb.phrasing, 'voice.greeting', 'zh'), phrase(kb.phrasing, 'voice.greeting', 'zh', { shop: 'ignored' }), 'the name is part of the library, not a per-call value');
  });

  it('routes every handoff with no better route to the default team shop.yaml names', () => {
    const kb = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP.replace('defaultTeam: general', 'defaultTeam: orders') }));
    assert.equal(kb.shop.defaultTeam, 'orders');
  });

  it('refuses a shop.yaml without a name, or with a name in one language only', () => {
    assert.match(refusal(SHOP.replace(/name:\n.*\n.*\n/, '')), /^shop\.yaml:1: name: is required: \{zh: …, en: …\}/);
    assert.match(refusal(SHOP.replace('  en: Sweetheart Bakery\n', '')), /^shop\.yaml:2: name\.en: is required$/);
    assert.match(refusal(SHOP.replace('  zh: 甜心烘焙', '  zh: ""')), /^shop\.yaml:2: name\.zh: must not be empty$/);
  });

  it('refuses a time zone that is not an IANA name', () => {
    assert.equal(refusal(SHOP.replace('Europe/Berlin', 'Mars/Olympus_Mons')), 'shop.yaml:6: service.timezone: "Mars/Olympus_Mons" is not an IANA time zone such as Asia/Shanghai or Europe/Berlin');
  });

  it('refuses hours that are not HH:MM-HH:MM, do not exist, or close before they open', () => {
    assert.match(refusal(SHOP.replace('"08:00-20:00"', '9-18')), /^shop\.yaml:5: service\.hours: must look like 09:00-22:00/);
    assert.match(refusal(SHOP.replace('"08:00-20:00"', '"08:00-24:30"')), /^shop\.yaml:5: service\.hours: must look like/);
    assert.match(refusal(SHOP.replace('"08:00-20:00"', '"22:00-06:00"')), /^shop\.yaml:5: service\.hours: closes at or before it opens; hours past midnight are not supported/);
    assert.equal(loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP.replace('"08:00-20:00"', '"00:00-24:00"') })).shop.service.hours, '00:00-24:00');
  });

  it('refuses open days that are not weekdays, repeated, or none at all', () => {
    assert.equal(refusal(SHOP.replace('[tue, wed, thu, fri, sat]', '[tue, funday]')), 'shop.yaml:7: service.days[1]: must be one of mon, tue, wed, thu, fri, sat, sun');
    assert.equal(refusal(SHOP.replace('[tue, wed, thu, fri, sat]', '[tue, tue]')), 'shop.yaml:7: service.days[1]: "tue" is listed twice');
    assert.match(refusal(SHOP.replace('[tue, wed, thu, fri, sat]', '[]')), /^shop\.yaml:7: service\.days: is required: the open days/);
  });

  it('refuses a default team that escalation.yaml does not have, listing the teams there are', () => {
    assert.match(refusal(SHOP.replace('defaultTeam: general', 'defaultTeam: bakers')), /^shop\.yaml:11: defaultTeam: unknown team "bakers"; teams in escalation\.yaml: general, sales, orders, /);
  });

  it("refuses an escalation.yaml without the reference shop's default team when the KB has no shop.yaml, and says what to add", () => {
    const ps = problems({ 'escalation.yaml': ESCALATION('bakers') });
    assert.equal(ps.length, 1);
    assert.match(ps[0]?.message ?? '', /escalation\.yaml has no team "general", the default team of the reference shop\.yaml: add a shop\.yaml with .* defaultTeam \(one of bakers\)/);
    assert.equal(loadKnowledgeBase(bareShopKb({ 'escalation.yaml': ESCALATION('bakers'), 'shop.yaml': SHOP.replace('general', 'bakers') })).shop.defaultTeam, 'bakers');
  });

  it('refuses service hours and a default team left in escalation.yaml, saying they moved to shop.yaml', () => {
    const ps = problems({ 'escalation.yaml': `service: { hours: "09:00-22:00", timezone: Asia/Shanghai, days: [mon] }\n${ESCALATION('general')}default: general\n` });
    assert.deepEqual(
      ps.map((p) => `${p.line}: ${p.field}: ${p.message}`),
      ['1: service: service hours moved to shop.yaml (service: hours, timezone, days); move this section there', '14: default: the default team moved to shop.yaml (defaultTeam: <team id>); move it there'],
    );
  });

  it('refuses oversized and hostile names: long, markup, template braces, line breaks, direction overrides, not text', () => {
    const named = (zh: string): string => SHOP.replace('  zh: 甜心烘焙', `  zh: ${zh}`);
    assert.equal(refusal(named('x'.repeat(41))), 'shop.yaml:2: name.zh: is 41 characters; at most 40 allowed');
    assert.equal(refusal(named('y'.repeat(200_000))), 'shop.yaml:2: name.zh: is 200000 characters; at most 40 allowed');
    const plain = 'must be one plain line: no control or direction characters, and none of { } < >';
    assert.equal(refusal(named('"<script>alert(1)</script>"')), `shop.yaml:2: name.zh: ${plain}`);
    assert.equal(refusal(named('"甜心{wait}烘焙"')), `shop.yaml:2: name.zh: ${plain}`);
    assert.equal(refusal(named('"甜心\\n烘焙"')), `shop.yaml:2: name.zh: ${plain}`);
    assert.equal(refusal(named('"\u202e焙烘心甜"')), `shop.yaml:2: name.zh: ${plain}`);
    assert.equal(refusal(named('[甜心, 烘焙]')), 'shop.yaml:2: name.zh: must be text, not a list');
  });

  it('refuses a shop.yaml whose anchors expand into millions of values, without expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'name: *g', ''].join('\n');
    const ps = problems({ 'shop.yaml': bomb });
    assert.equal(ps.length, 1);
    assert.equal(ps[0]?.code, 'KB_YAML_SYNTAX');
    assert.match(ps[0]?.message ?? '', /Excessive alias count.*write the values out/);
  });

  it('refuses a contact that is not a phone number or an e-mail address, and unknown fields', () => {
    assert.match(refusal(SHOP.replace('+49 30 1234567', 'call us maybe')), /^shop\.yaml:9: contact\.hotline: must be a phone number/);
    assert.match(refusal(SHOP.replace('hello@sweetheart.example', 'hello at sweetheart')), /^shop\.yaml:10: contact\.email: must be an e-mail address/);
    assert.match(refusal(`${SHOP}slogan: Fresh every day\n`), /^shop\.yaml:12: slogan: unknown field; expected one of name, service, contact, defaultTeam$/);
    assert.match(refusal('just a name'), /^shop\.yaml:1: : must be a mapping with name, service, contact, defaultTeam$/);
  });
});

describe('{shop}, {hotline} and {email} in the phrasing library', () => {
  after(cleanTempDirs);
  const phrasing = (zh: string, en: string): string => `phrases:\n  none.reply:\n    zh: '${zh}'\n    en: '${en}'\n`;

  it('fills the contact channels a KB template names from shop.yaml', () => {
    const kb = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP, 'phrasing.yaml': phrasing('请致电 {hotline} 或发邮件至 {email}', 'Call {hotline} or write to {email}') }));
    assert.equal(phrase(kb.phrasing, 'none.reply', 'zh'), '请致电 +49 30 1234567 或发邮件至 hello@sweetheart.example');
    assert.equal(phrase(kb.phrasing, 'none.reply', 'en'), 'Call +49 30 1234567 or write to hello@sweetheart.example');
  });

  it('refuses a template naming a contact channel the shop does not list, at the shop.yaml line to add it', () => {
    const ps = problems({ 'shop.yaml': SHOP.replace('  email: hello@sweetheart.example\n', ''), 'phrasing.yaml': phrasing('请发邮件至 {email}', 'Write to {email}') });
    assert.deepEqual(
      ps.map((p) => `${p.file.replace(/.*\//, '')}:${p.line}: ${p.field}: ${p.message}`),
      ['shop.yaml:9: contact.email: phrasing template none.reply uses {email}, but the shop lists no contact.email: add it to shop.yaml, or take {email} out of the template'],
    );
  });

  it('spaces a Latin name from Chinese text and leaves a Chinese name unspaced', () => {
    const latin = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP.replace('  zh: 甜心烘焙', '  zh: Sweetheart 烘焙坊 2') }));
    assert.equal(phrase(latin.phrasing, 'voice.farewell', 'zh'), '感谢您对 Sweetheart 烘焙坊 2 的支持，祝您生活愉快，再见！');
    const chinese = loadKnowledgeBase(bareShopKb({ 'shop.yaml': SHOP }));
    assert.equal(phrase(chinese.phrasing, 'voice.farewell', 'zh'), '感谢您对甜心烘焙的支持，祝您生活愉快，再见！');
  });

  it('speaks for the demo shop exactly as before for a KB that follows the reference', () => {
    const kb = loadKnowledgeBase(bareShopKb());
    assert.equal(phrase(kb.phrasing, 'voice.greeting', 'zh'), '您好，欢迎光临 Tact 商城，请问有什么可以帮您？');
    assert.ok(phrase(kb.phrasing, 'suggest.requested', 'zh', { summary: 'x', resolution: '1 小时' }).startsWith('您好，这里是 Tact 商城人工客服'));
  });
});

function ESCALATION(team: string): string {
  return `followUp: 72h
teams:
  - id: ${team}
    name: { zh: 烘焙客服, en: the bakery team }
    channel: "#bakery"
    supervisor: { name: Anna, slack: U0BAKERY01 }
    sla: { firstResponse: 1m, resolution: 24h }
routes: {}
complaints:
  coordinator: { team: ${team} }
urgent:
  sla: { firstResponse: 30s, resolution: 4h }
`;
}
