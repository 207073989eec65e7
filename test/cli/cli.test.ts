import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTempDirs, shopKb, tempDir, writeTree } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

function tact(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, TACT_KB_DIR: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('tact command', function () {
  // Each case runs the real CLI, which builds its classifiers at start: seconds each, more on a busy 2-core machine.
  this.timeout(60_000);
  let kb: string;
  before(() => {
    kb = shopKb();
  });
  after(cleanTempDirs);

  it('answers a Chinese question with --json fields', () => {
    const r = tact(['ask', '--kb', kb, '--json', '下单后几天发货']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(d).sort(), ['action', 'category', 'confidence', 'emotion', 'escalation', 'faqId', 'handoffReason', 'intent', 'lang', 'reply', 'suggestedReply', 'suggestions', 'why']);
    assert.equal(d['action'], 'answer');
    assert.equal(d['faqId'], 'ship-time');
    assert.equal(d['lang'], 'zh');
  });

  it('answers the demo KB in English and Traditional Chinese', () => {
    const en = JSON.parse(tact(['ask', '--json', 'I forgot my password, how do I get back in?']).stdout) as Record<string, unknown>;
    assert.equal(en['lang'], 'en');
    assert.notEqual(en['faqId'], null);
    const zht = JSON.parse(tact(['ask', '--json', '請問退貨運費誰出？']).stdout) as Record<string, unknown>;
    assert.equal(zht['lang'], 'zh');
    assert.notEqual(zht['action'], 'none');
  });

  it('prints a readable decision without --json', () => {
    const r = tact(['ask', '--kb', kb, 'how long does a refund take']);
    assert.match(r.stdout, /\[answer · refund-time · en · confidence [\d.]+ · emotion calm/);
  });

  it('runs a KB\'s regression cases and names each failure with what was expected and what happened', () => {
    const dir = shopKb({
      'tests.jsonl': [
        JSON.stringify({ text: '下单后多久发货？', expect: 'ship-time' }),
        JSON.stringify({ text: '退款多久到账？', expect: 'invoice-get' }),
        JSON.stringify({ text: '转人工', expect: 'handoff', reason: 'requested' }),
      ].join('\n'),
    });
    const r = tact(['kb', 'test', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /2 of 3 cases pass \(66\.7%\)/);
    assert.match(r.stdout, /✗ "退款多久到账？": expected invoice-get, got refund-time/);
    assert.match(r.stdout, /invoice-get → refund-time: 1/);
    const json = JSON.parse(tact(['kb', 'test', dir, '--json']).stdout) as { cases: number; passed: number; failures: unknown[] };
    assert.deepEqual([json.cases, json.passed, json.failures.length], [3, 2, 1]);
  });

  it('lints a KB: overlapping FAQs, a missing answer language, forbidden phrasing and an unrouted category are warnings', () => {
    const dir = shopKb({
      'faqs/extra.yaml': `category: gifts
faqs:
  - id: ship-soon
    question: { zh: 下单后多久发货？, en: When will my order ship? }
    answer: { zh: 不知道，你自己去查物流。 }
`,
    });
    const r = tact(['kb', 'lint', dir]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /warning .*extra\.yaml:\d+: ship-soon\.alternates: "下单后多久发货？" is matched to ship-time|warning .*: ship-time\.alternates: .* is matched to ship-soon/);
    assert.match(r.stdout, /warning .*extra\.yaml:\d+: ship-soon\.answer\.en: the question is asked in en but there is no en answer/);
    assert.match(r.stdout, /warning .*extra\.yaml:\d+: ship-soon\.answer\.zh: "不知道".*breaks the tone rules/);
    assert.match(r.stdout, /warning escalation\.yaml: routes\.gifts: no escalation route for category gifts/);
    const json = JSON.parse(tact(['kb', 'lint', dir, '--json']).stdout) as { errors: number; warnings: number };
    assert.equal(json.errors, 0);
    assert.ok(json.warnings >= 4);
  });

  it('lints a KB that does not load as errors with file, line and field, exit code 2', () => {
    const dir = shopKb({ 'faqs/bad.yaml': 'category: shop\nfaqs:\n  - id: bad\n    question: { zh: 坏 }\n  - id: ship-time\n    question: { zh: 重复 }\n    answer: { zh: 重复 }\n' });
    const r = tact(['kb', 'lint', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /error .*bad\.yaml:3: .*answer/);
    assert.match(r.stdout, /error .*\.yaml:\d+: id: duplicate id "ship-time"/);
    assert.equal(tact(['kb', 'lint', 'knowledge-base']).code, 0);
  });

  it('lints a broken placeholder and a YAML syntax error as errors, each with its line', () => {
    const placeholder = tact(['kb', 'lint', shopKb({ 'phrasing.yaml': 'phrases:\n  none.reply:\n    zh: 请等待{wiat}\n    en: Please wait {wait}\n' })]);
    assert.equal(placeholder.code, 2);
    assert.match(placeholder.stdout, /error .*phrasing\.yaml:3: phrases\.none\.reply\.zh: unknown placeholder \{wiat\}/);
    const syntax = tact(['kb', 'lint', shopKb({ 'faqs/broken.yaml': 'category: shop\nfaqs:\n  - id: x\n    question: { zh: 坏\n' })]);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stdout, /error .*broken\.yaml:\d+/);
  });

  it('adds an FAQ field by field, validates it, and refuses an id that exists', () => {
    const dir = shopKb();
    const answers = ['gift-card-buy', 'shop', '礼品卡在哪里买？', 'Where can I buy a gift card?', '购物卡怎么买 | can I buy a voucher', '您好，礼品卡可以在“我的-礼品卡”页面购买。', 'Gift cards are on the Me page.', 'n'].join('\n');
    const r = tact(['kb', 'add', dir], answers);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /added FAQ gift-card-buy/);
    const asked = tact(['ask', '--kb', dir, '--json', '礼品卡在哪里买']);
    assert.equal((JSON.parse(asked.stdout) as { faqId: string }).faqId, 'gift-card-buy');
    const again = tact(['kb', 'add', dir], answers);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
    const noAnswer = tact(['kb', 'add', dir], ['x-faq', 'shop', '问题', '', '', '', '', 'n'].join('\n'));
    assert.equal(noAnswer.code, 2);
    assert.match(noAnswer.stderr, /answer/);
  });

  it('removes an FAQ by id, and refuses an unknown id, a malformed one and an FAQ the regression cases expect', () => {
    const dir = shopKb({ 'tests.jsonl': '{"text":"怎么开发票","expect":"invoice-get"}\n' });
    const file = join(dir, 'faqs', 'shop.yaml');
    const before = readFileSync(file, 'utf8');
    const r = tact(['kb', 'remove', 'password-reset', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed FAQ password-reset from .*shop\.yaml/);
    const lines = before.split('\n');
    const at = lines.indexOf('  - id: password-reset');
    assert.equal(readFileSync(file, 'utf8'), [...lines.slice(0, at), ...lines.slice(at + 4)].join('\n'));
    assert.match(readFileSync(join(dir, 'audit.jsonl'), 'utf8'), /"who":"cli:[^"]+","action":"remove","faq":"password-reset"/);
    const after = readFileSync(file, 'utf8');
    const refused: [string[], RegExp][] = [
      [['kb', 'remove', 'password-reset', dir], /no FAQ "password-reset" .*\[FAQ_NOT_FOUND\]/],
      [['kb', 'remove', 'invoice-get', dir], /expected by 1 case \(tests\.jsonl:1\).*\[FAQ_REFERENCED\]/],
      [['kb', 'remove', '../shop', dir], /"\.\.\/shop" is not an FAQ id/],
      [['kb', 'remove', 'x'.repeat(5000), dir], /is not an FAQ id/],
      [['kb', 'remove'], /usage: tact kb remove ID \[DIR\]/],
      [['kb', 'remove', 'a', dir, 'extra'], /usage: tact kb remove ID \[DIR\]/],
    ];
    for (const [args, message] of refused) {
      const no = tact(args);
      assert.equal(no.code, 2, args.join(' ').slice(0, 80));
      assert.match(no.stderr, message);
    }
    assert.equal(readFileSync(file, 'utf8'), after, 'a refusal writes nothing');
  });

  it('passes the demo KB\'s own regression cases', () => {
    const r = tact(['kb', 'test', 'knowledge-base']);
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    assert.match(r.stdout, /(\d+) of \1 cases pass \(100%\)/);
  });

  it('refuses a broken KB with file, line and field, exit code 2', () => {
    const bad = writeTree({ 'faqs/x.yaml': 'category: x\nfaqs:\n  - id: a\n    question: { zh: 问 }\n' });
    const r = tact(['ask', '--kb', bad, 'hi']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /faqs\/x\.yaml:3: faqs\[0\]\.answer: is required/);
  });

  it('explains usage mistakes with exit code 2', () => {
    assert.equal(tact(['frobnicate']).code, 2);
    assert.equal(tact(['ask']).code, 2);
    assert.match(tact(['ask', '--nope', 'x']).stderr, /Unknown option/);
  });

  it('imports a CSV into a KB and exports it back', () => {
    const dir = tempDir();
    const csv = join(dir, 'faq.csv');
    writeFileSync(csv, 'id,question,alternates,answer,category\nship,多久发货,什么时候发货|几天发出,您好，48小时内发货。,shipping\nrefund,How long is a refund?,money back,"Refunds take 1-3 days, thanks.",refunds\n');
    const out = join(dir, 'kb');
    assert.equal(tact(['kb', 'import', csv, '--out', out]).code, 0);
    assert.ok(existsSync(join(out, 'faqs', 'shipping.yaml')));
    const back = join(dir, 'back.csv');
    assert.equal(tact(['kb', 'export', out, '--out', back]).code, 0);
    assert.match(readFileSync(back, 'utf8'), /refund,How long is a refund\?,money back,,"Refunds take 1-3 days, thanks\.",refunds/);
    assert.equal(JSON.parse(tact(['ask', '--kb', out, '--json', '几天能发货']).stdout).faqId, 'ship');
  });

  it('imports nothing from a CSV with a malformed row, and names the line', () => {
    const dir = tempDir();
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'id,question,answer\nok,问题,答案\nbad,"unclosed,答案\n');
    const r = tact(['kb', 'import', csv, '--out', join(dir, 'kb')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.csv:3/);
    assert.equal(existsSync(join(dir, 'kb')), false);
  });

  it('prints exactly one JSON object from eval --json', () => {
    const cases = join(tempDir(), 'cases.jsonl');
    // The last case is labelled with another FAQ, so the refund answer counts as a confidently wrong one.
    writeFileSync(cases, ['{"text":"多久发货","expect":"ship-time"}', '{"text":"写首诗给我","expect":"none"}', '{"text":"账号被盗了","expect":"handoff"}', '{"text":"退款多久到账？","expect":"invoice-get"}'].join('\n'));
    const r = tact(['eval', '--kb', kb, '--cases', cases, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, Record<string, number> | number>;
    assert.deepEqual(Object.keys(report), ['cases', 'faq', 'oos', 'handoff', 'smalltalk', 'latencyMs']);
    assert.equal(report['cases'], 4);
    assert.deepEqual(report['faq'], { n: 2, top1: 0.5, top3: 0.5, wrong: 0.5 });
    assert.equal((report['handoff'] as Record<string, number>)['recall'], 1);
  });

  it('reports null for kinds with no cases, and calibrates with --valid', () => {
    const cases = join(tempDir(), 'c.jsonl');
    writeFileSync(cases, '{"text":"退款多久","label":"refund-time"}\n');
    const r = JSON.parse(tact(['eval', '--kb', kb, '--cases', cases, '--valid', cases, '--policy', 'off', '--json']).stdout) as Record<string, unknown>;
    assert.equal(r['oos'], null);
    assert.equal(r['handoff'], null);
  });

  it('refuses a malformed cases file with the line number', () => {
    const cases = join(tempDir(), 'c.jsonl');
    writeFileSync(cases, '{"text":"ok","expect":"x"}\nnot json\n');
    const r = tact(['eval', '--kb', kb, '--cases', cases]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /c\.jsonl:2: not valid JSON/);
  });

  it('explains each decision of a piped chat with --explain, as tact ask prints it', () => {
    const r = tact(['chat', '--kb', kb, '--explain'], '多久发货\n\nhow long does a refund take\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/^\[(answer|clarify|none|smalltalk|handoff) · /gm) ?? []).length, 2);
  });
});
