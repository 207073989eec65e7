import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { findPlaceholders, starterEscalationYaml, starterShopYaml, writeStarters } from '../../src/kb/starter.js';
import { formatPath, YamlFile } from '../../src/kb/yaml-file.js';
import { cleanTempDirs, shopKb, tempDir } from '../helpers/temp-kb.js';

describe('the starter shop.yaml and escalation.yaml of an import', () => {
  after(cleanTempDirs);

  it('routes every category to the one team, even ids YAML would read as something else', () => {
    const categories = ['shop', 'yes', 'null', '123', 'gift.cards', 'shop'];
    const kb = loadKnowledgeBase(shopKb({ 'shop.yaml': starterShopYaml({}), 'escalation.yaml': starterEscalationYaml(categories) }));
    assert.deepEqual(Object.keys(kb.escalation.routes).sort(), ['123', 'gift.cards', 'null', 'shop', 'yes']);
    assert.deepEqual(new Set(Object.values(kb.escalation.routes)), new Set([kb.shop.defaultTeam]));
    assert.deepEqual(Object.keys(kb.escalation.reasons).sort(), ['account_security', 'fraud', 'legal', 'safety']);
    assert.ok(Object.values(kb.escalation.reasons).every((r) => r.urgent));
  });

  it('finds every placeholder with the path an editor must change, and none once they are filled', () => {
    const at = (text: string): string[] => findPlaceholders(new YamlFile('x.yaml', text)).map((p) => formatPath(p.path));
    assert.deepEqual(at(starterShopYaml({})), ['name.zh', 'name.en']);
    assert.deepEqual(at(starterShopYaml({ zh: '甜心烘焙', en: 'Sweetheart Bakery' })), []);
    assert.deepEqual(at(starterEscalationYaml(['shop'])), ['teams[0].channel', 'teams[0].supervisor.name', 'teams[0].supervisor.slack']);
    const filled = starterEscalationYaml(['shop']).replace('"#change-me"', '"#bakery-help"').replace('name: CHANGE ME, slack: U0CHANGEME', 'name: Anna Lee, slack: U07ANNALEE');
    assert.deepEqual(at(filled), []);
  });

  it('writes only the files a KB lacks and leaves an existing one byte for byte', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shop.yaml'), '# our own\n');
    const r = writeStarters(dir, ['shop'], { zh: '甜心烘焙' });
    assert.deepEqual(r, { written: [join(dir, 'escalation.yaml')], kept: [join(dir, 'shop.yaml')] });
    assert.equal(readFileSync(join(dir, 'shop.yaml'), 'utf8'), '# our own\n');
    assert.deepEqual(writeStarters(dir, ['shop'], {}), { written: [], kept: [join(dir, 'shop.yaml'), join(dir, 'escalation.yaml')] });
  });
});
