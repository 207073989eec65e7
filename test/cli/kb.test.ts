import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../src/bot/core/decide.js';
import type { Decision } from '../../src/bot/core/decision.js';
import { buildFaqIndex, type FaqIndex } from '../../src/bot/core/faq-index.js';
import { phrase } from '../../src/bot/core/phrasing.js';
import { languageData } from '../../src/kb/language-data.js';
import { loadKnowledgeBase, openPackaged } from '../../src/kb/load.js';
import { PLACEHOLDERS, readPhrasing } from '../../src/kb/phrasing-file.js';
import { referenceStandard } from '../../src/kb/standard.js';
import type { KnowledgeBase, Lang } from '../../src/kb/types.js';
import { YamlFile } from '../../src/kb/yaml-file.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');
const BAKERY_CSV = join(process.cwd(), 'test', 'fixtures', 'bakery.csv');
const LANGS: readonly Lang[] = ['zh', 'en'];

function tact(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TACT_KB_DIR: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Everything that names the demo shop: its name, its hotline, and the people and Slack channels of its escalation matrix. */
function demoMarks(): string[] {
  const demo = referenceStandard(openPackaged);
  const teams = [...demo.escalation.teams.values()];
  return [
    'Tact 商城',
    'Tact商城',
    'Tact Shop',
    '400-820-6060',
    demo.shop.name.zh,
    demo.shop.name.en,
    ...(demo.shop.contact.hotline ? [demo.shop.contact.hotline] : []),
    ...teams.flatMap((t) => [t.channel, t.supervisor.name, t.supervisor.slack]),
  ];
}

function mentions(text: string, marks: readonly string[]): string[] {
  return marks.filter((m) => text.includes(m));
}

describe('tact kb import: a shop of its own', function () {
  // Spawns the real CLI and builds a KB's classifiers: seconds on a busy 2-core machine.
  this.timeout(120_000);
  after(cleanTempDirs);

  describe('a bakery imported from CSV with its names', () => {
    let dir: string;
    let kb: KnowledgeBase;
    let index: FaqIndex;
    const marks = demoMarks();
    const name = { zh: '甜心烘焙', en: 'Sweetheart Bakery' };
    before(() => {
      dir = join(tempDir(), 'bakery');
      const r = tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--name-zh', name.zh, '--name-en', name.en]);
      assert.equal(r.code, 0, r.stderr);
      kb = loadKnowledgeBase(dir);
      index = buildFaqIndex(kb, languageData());
    });

    it('writes a shop.yaml with its name and an escalation.yaml routing every CSV category to one team', () => {
      assert.deepEqual(kb.shop.name, name);
      assert.equal(kb.escalation.teams.size, 1);
      const [team] = [...kb.escalation.teams.values()];
      assert.equal(kb.shop.defaultTeam, team?.id);
      assert.deepEqual(Object.keys(kb.escalation.routes).sort(), ['allergens', 'bread', 'cakes', 'delivery', 'orders']);
      assert.ok(Object.values(kb.escalation.routes).every((t) => t === team?.id));
    });

    it('renders no phrasing template, in either language, that mentions the demo shop, and names the bakery wherever a template says {shop}', () => {
      const raw = readPhrasing(new YamlFile('phrasing.yaml', readFileSync(join(process.cwd(), 'knowledge-base', 'phrasing.yaml'), 'utf8')));
      const vars = Object.fromEntries(PLACEHOLDERS.filter((p) => !['shop', 'hotline', 'email'].includes(p)).map((p) => [p, `<${p}>`]));
      const names = Object.keys(kb.phrasing);
      assert.ok(names.length >= 90, `only ${names.length} templates`);
      let withShop = 0;
      for (const template of names) {
        for (const lang of LANGS) {
          const text = phrase(kb.phrasing, template, lang, vars);
          assert.deepEqual(mentions(text, marks), [], `${template}.${lang}: ${text}`);
          assert.doesNotMatch(text, /\{shop\}/, `${template}.${lang}`);
          if (raw[template]?.[lang]?.includes('{shop}')) {
            withShop++;
            assert.ok(text.includes(name[lang]), `${template}.${lang} should name the bakery: ${text}`);
          }
        }
      }
      assert.ok(withShop >= 40, `only ${withShop} templates use {shop}`);
    });

    const said: ReadonlyArray<readonly [string, Lang, Decision['action'], string | null, boolean]> = [
      // message, language, action, handoff reason, whether the customer's reply names the shop
      ['你好', 'zh', 'smalltalk', null, false],
      ['hello', 'en', 'smalltalk', null, false],
      ['再见', 'zh', 'smalltalk', null, false],
      ['bye, thanks', 'en', 'smalltalk', null, false],
      ['你是机器人吗', 'zh', 'smalltalk', null, true],
      ['are you a robot', 'en', 'smalltalk', null, true],
      ['有人冒充你们客服打电话让我转账', 'zh', 'handoff', 'fraud', true],
      ['I got a scam call, is it really from you', 'en', 'handoff', 'fraud', true],
      ['我要投诉，送来的蛋糕都压坏了', 'zh', 'handoff', 'complaint', false],
      ['I want to make a complaint, the cake arrived crushed', 'en', 'handoff', 'complaint', false],
      ['转人工', 'zh', 'handoff', 'requested', false],
    ];
    for (const [text, lang, action, reason, namesShop] of said) {
      it(`answers "${text}" (${reason ?? action}) without the demo shop's name, hotline, people or channels`, () => {
        const d = decide(index, text);
        assert.deepEqual([d.action, d.handoffReason, d.lang], [action, reason, lang]);
        const seen = [d.reply, d.suggestedReply, JSON.stringify(d.escalation)].join('\n');
        assert.deepEqual(mentions(seen, marks), [], seen);
        if (namesShop) assert.ok(d.reply.includes(name[lang]), d.reply);
        if (d.action === 'handoff') {
          assert.ok(d.suggestedReply.includes(name[lang]), `the agent's suggested reply names the bakery: ${d.suggestedReply}`);
          assert.equal(d.escalation?.team, kb.shop.defaultTeam);
        }
      });
    }

    it('chats and answers with the CLI', () => {
      const r = tact(['ask', '--kb', dir, '--json', '有人冒充你们客服打电话让我转账']);
      assert.equal(r.code, 0, r.stderr);
      const d = JSON.parse(r.stdout) as Decision;
      assert.match(d.reply, /甜心烘焙的工作人员不会向您索要/);
      const chat = spawnSync(process.execPath, [BIN, 'chat', '--kb', dir, '--explain'], { encoding: 'utf8', input: '生日蛋糕要提前几天订\n你是机器人吗\n', env: { ...process.env, TACT_KB_DIR: '' } });
      assert.equal(chat.status, 0, chat.stderr);
      assert.match(chat.stdout, /cake-order-ahead/, 'the decision, explained');
      assert.match(chat.stdout, /欢迎光临甜心烘焙/, "the greeting in the shop's name");
      assert.match(chat.stdout, /我们是甜心烘焙的在线客服助手/);
      assert.deepEqual(mentions(chat.stdout, marks), []);
    });
  });

  it('writes placeholders, marked CHANGE ME, for a shop imported without a name, and the KB still runs', () => {
    const dir = join(tempDir(), 'kb');
    const r = tact(['kb', 'import', BAKERY_CSV, '--out', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote a starter .*shop\.yaml\n.*wrote a starter .*escalation\.yaml\nnext: make it your shop/);
    const kb = loadKnowledgeBase(dir);
    assert.deepEqual(kb.shop.name, { zh: '你的店名', en: 'YOUR SHOP NAME' });
    const escalation = readFileSync(join(dir, 'escalation.yaml'), 'utf8');
    assert.match(escalation, /channel: "#change-me" +# CHANGE ME/);
    assert.match(escalation, /supervisor: \{ name: CHANGE ME, slack: U0CHANGEME \} +# CHANGE ME/);
    assert.deepEqual(mentions(escalation, demoMarks()), []);
    assert.equal(JSON.parse(tact(['ask', '--kb', dir, '--json', '面包能放几天']).stdout).faqId, 'bread-keep');
    const lint = tact(['kb', 'lint', dir]);
    assert.equal(lint.code, 0, 'placeholders are warnings: the KB runs meanwhile');
    assert.match(lint.stdout, /^warning .*shop\.yaml:\d+: name\.zh: "你的店名" is a placeholder from the import: write the shop's name/m);
    assert.match(lint.stdout, /^warning .*escalation\.yaml:\d+: teams\[0\]\.channel: "#change-me" is a placeholder/m);
    assert.match(lint.stdout, /: 0 errors, \d+ warnings\n$/);
  });

  it('gives a name in one language to both, so no placeholder reaches the other language', () => {
    const dir = join(tempDir(), 'kb');
    assert.equal(tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--name-en', 'Sweetheart Bakery']).code, 0);
    assert.deepEqual(loadKnowledgeBase(dir).shop.name, { zh: 'Sweetheart Bakery', en: 'Sweetheart Bakery' });
  });

  it('refuses a name shop.yaml would refuse, naming the flag, and writes nothing', () => {
    const dir = join(tempDir(), 'kb');
    const r = tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--name-en', 'Sweetheart {wait} Bakery']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--name-en: must be one plain line/);
    const long = tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--name-zh', '烘'.repeat(41)]);
    assert.match(long.stderr, /--name-zh: is 41 characters; at most 40 allowed/);
    assert.equal(existsSync(dir), false);
  });

  it("keeps the shop's own shop.yaml and escalation.yaml when FAQs are imported again, with or without --force", () => {
    const dir = join(tempDir(), 'kb');
    assert.equal(tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--name-zh', '甜心烘焙']).code, 0);
    const edited = readFileSync(join(dir, 'shop.yaml'), 'utf8').replace('"09:00-18:00"', '"07:00-19:00"');
    writeFileSync(join(dir, 'shop.yaml'), edited);
    copyFileSync(join(dir, 'escalation.yaml'), join(dir, 'escalation.before'));
    const again = tact(['kb', 'import', BAKERY_CSV, '--out', dir]);
    assert.equal(again.code, 2, 'FAQs are there: refused without --force');
    const forced = tact(['kb', 'import', BAKERY_CSV, '--out', dir, '--force', '--name-zh', '别的名字']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /kept .*shop\.yaml as it is \(--name-zh\/--name-en not applied: edit its name\)\nkept .*escalation\.yaml as it is/);
    assert.equal(readFileSync(join(dir, 'shop.yaml'), 'utf8'), edited);
    assert.equal(readFileSync(join(dir, 'escalation.yaml'), 'utf8'), readFileSync(join(dir, 'escalation.before'), 'utf8'));
  });
});
