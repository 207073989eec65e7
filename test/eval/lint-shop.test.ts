import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintKb, type LintFinding } from '../../src/eval/lint.js';
import { languageData } from '../../src/kb/language-data.js';
import { starterEscalationYaml, starterShopYaml } from '../../src/kb/starter.js';
import { bareShopKb, cleanTempDirs, shopKb } from '../helpers/temp-kb.js';

const DEMO = join(process.cwd(), 'knowledge-base');

/** The shop findings of a lint, as `file:line: field: message` with the file's folder cut off. */
function shopLint(dir: string): string[] {
  return lintKb(dir, languageData())
    .filter((f: LintFinding) => f.code === 'PLACEHOLDER' || f.code === 'DEMO_SHOP')
    .map((f) => {
      assert.equal(f.severity, 'warning', 'never an error: the KB loads and runs meanwhile');
      return `${f.code} ${f.file.replace(/.*\//, '')}:${f.line}: ${f.field}: ${f.message}`;
    });
}

describe('kb lint: a shop of its own', function () {
  this.timeout(60_000);
  after(cleanTempDirs);

  it("warns at every placeholder the import left, naming file, line and field and saying what to write", () => {
    const found = shopLint(shopKb({ 'shop.yaml': starterShopYaml({}), 'escalation.yaml': starterEscalationYaml(['shop']) }));
    assert.equal(found.length, 5, found.join('\n'));
    assert.match(found[0] ?? '', /^PLACEHOLDER shop\.yaml:\d+: name\.zh: "你的店名" is a placeholder from the import: write the shop's name as customers should see it/);
    assert.match(found[1] ?? '', /^PLACEHOLDER shop\.yaml:\d+: name\.en: "YOUR SHOP NAME" is a placeholder/);
    assert.match(found[2] ?? '', /^PLACEHOLDER escalation\.yaml:\d+: teams\[0\]\.channel: "#change-me" is a placeholder from the import: write the Slack channel where this team sees its handoffs/);
    assert.match(found[3] ?? '', /^PLACEHOLDER escalation\.yaml:\d+: teams\[0\]\.supervisor\.name: "CHANGE ME" is a placeholder .*supervisor/);
    assert.match(found[4] ?? '', /^PLACEHOLDER escalation\.yaml:\d+: teams\[0\]\.supervisor\.slack: "U0CHANGEME" is a placeholder .*Slack member id/);
    const text = starterShopYaml({}).split('\n');
    const line = Number(/:(\d+):/.exec(found[0] ?? '')?.[1]);
    assert.match(text[line - 1] ?? '', /zh: "你的店名"/, 'the line is the one to edit');
  });

  it('is quiet about a shop whose placeholders are all filled in', () => {
    const escalation = starterEscalationYaml(['shop']).replace('"#change-me"', '"#bakery-help"').replace('name: CHANGE ME, slack: U0CHANGEME', 'name: Anna Lee, slack: U07ANNALEE');
    assert.deepEqual(shopLint(shopKb({ 'shop.yaml': starterShopYaml({ zh: '甜心烘焙', en: 'Sweetheart Bakery' }), 'escalation.yaml': escalation })), []);
  });

  it("warns a KB without shop.yaml or escalation.yaml that it speaks as the demo shop and hands off to the demo's teams", () => {
    const found = shopLint(bareShopKb());
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0] ?? '', /^DEMO_SHOP shop\.yaml:0: : this KB has no shop\.yaml, so it follows the demo's: replies call the shop "Tact 商城 \/ Tact Shop".*add a shop\.yaml/);
    assert.match(found[1] ?? '', /^DEMO_SHOP escalation\.yaml:0: : this KB has no escalation\.yaml, so it follows the demo's: handoffs are posted to the demo's 10 Slack channels \(#cs-general, /);
  });

  it("warns a KB that copied the demo's shop.yaml and escalation.yaml at the demo's name, channels and supervisors", () => {
    const found = shopLint(shopKb({ 'shop.yaml': readFileSync(join(DEMO, 'shop.yaml'), 'utf8'), 'escalation.yaml': readFileSync(join(DEMO, 'escalation.yaml'), 'utf8') }));
    assert.match(found[0] ?? '', /^DEMO_SHOP shop\.yaml:\d+: name\.zh: "Tact 商城" is the demo shop's name: write your shop's name/);
    assert.match(found[1] ?? '', /^DEMO_SHOP shop\.yaml:\d+: name\.en: "Tact Shop" is the demo shop's name/);
    assert.match(found[2] ?? '', /^DEMO_SHOP escalation\.yaml:\d+: teams\[0\]\.channel: #cs-general is a Slack channel of the demo shop/);
    assert.equal(found.length, 2 + 10 * 3, 'every team: channel, supervisor name and Slack id');
  });

  it('says nothing of the kind about the demo KB itself', () => {
    assert.deepEqual(shopLint(DEMO), []);
  });
});
