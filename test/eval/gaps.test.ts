import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFaqIndex } from '../../src/bot/core/faq-index.js';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import { openPgStore } from '../../src/bot/store/pg-store.js';
import { maskPii } from '../../src/bot/core/mask.js';
import { findGaps } from '../../src/eval/gaps.js';
import { languageData } from '../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import type { Store, StoredEvent } from '../../src/bot/store/store.js';
import { cleanTestDatabases, createTestDatabase } from '../helpers/postgres.js';
import { cleanTempDirs, shopKb, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

async function conversation(store: Store, id: string, turns: readonly [string, 'answer' | 'none' | 'clarify', string][]): Promise<void> {
  for (const [text, action, at] of turns) {
    await store.append(id, { kind: 'message', at, from: 'customer', text });
    const decision: StoredEvent = { kind: 'decision', at, action, faqId: action === 'answer' ? 'ship-time' : null, handoffReason: null, confidence: 0.1 };
    await store.append(id, decision);
    await store.append(id, { kind: 'message', at, from: 'bot', text: 'reply' });
  }
}

describe('tact kb gaps', function () {
  this.timeout(30_000);
  after(async () => {
    await cleanTestDatabases();
    cleanTempDirs();
  });

  it('clusters what customers asked that the KB could not answer, most asked first, while the server holds the data directory', async () => {
    const data = tempDir();
    const store = await openLowdbStore(data);
    await conversation(store, 'c1', [
      ['你们支持货到付款吗？', 'none', '2026-11-20T10:00:00Z'],
      ['下单后多久发货？', 'answer', '2026-11-20T10:01:00Z'],
    ]);
    await conversation(store, 'c2', [['可以货到付款吗', 'none', '2026-11-21T10:00:00Z']]);
    await conversation(store, 'c3', [
      ['支持货到付款不', 'none', '2026-11-22T10:00:00Z'],
      ['有礼品卡卖吗', 'clarify', '2026-11-22T10:05:00Z'],
    ]);
    await conversation(store, 'c4', [['礼品卡在哪买', 'clarify', '2026-11-23T10:00:00Z']]);
    await conversation(store, 'old', [['你们有实体店吗', 'none', '2026-10-01T10:00:00Z']]);

    // The store stays open (locked), as under a running server.
    const r = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--data', data, '--since', '2026-11-01', '--json'], { encoding: 'utf8' });
    await store.close();
    assert.equal(r.status, 0, r.stderr);
    const { gaps } = JSON.parse(r.stdout) as { gaps: { count: number; message: string; examples: string[]; action: string; closestFaq: { id: string } | null }[] };
    assert.deepEqual(
      gaps.map((g) => [g.count, g.action]),
      [
        [3, 'none'],
        [2, 'clarify'],
      ],
    );
    assert.deepEqual(gaps[0]?.examples, ['你们支持货到付款吗？', '可以货到付款吗', '支持货到付款不']);
    assert.ok(gaps[0]?.closestFaq, 'the closest FAQ is named');
    assert.ok(!r.stdout.includes('实体店'), '--since leaves older questions out');
    assert.ok(!gaps.some((g) => g.examples.some((e) => e.includes('多久发货'))), 'answered questions are not gaps');

    const text = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--data', data], { encoding: 'utf8' });
    assert.match(text.stdout, /1\. ×3 unanswered: 你们支持货到付款吗？/);
    assert.match(text.stdout, /closest FAQ: /);
  });

  it('reads the database the instances share when TACT_DATABASE_URL is set, never showing its password', async () => {
    const url = await createTestDatabase();
    const store = await openPgStore(url);
    await conversation(store, 'p1', [['你们支持货到付款吗？', 'none', '2026-11-20T10:00:00Z']]);
    await conversation(store, 'p2', [['可以货到付款吗', 'none', '2026-11-21T10:00:00Z']]);
    await store.close();
    const withPassword = new URL(url);
    withPassword.password = 'hunter2';
    // Trust auth ignores the password; the report must not print it.
    const r = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--json'], { encoding: 'utf8', env: { ...process.env, TACT_DATABASE_URL: withPassword.toString(), TACT_DATA_DIR: tempDir() } });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { dataDir: string; gaps: { count: number }[] };
    assert.deepEqual(
      report.gaps.map((g) => g.count),
      [2],
    );
    assert.ok(!r.stdout.includes('hunter2'), report.dataDir);
  });

  it('says so when nothing is stored, and refuses a bad --since', () => {
    const empty = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--data', tempDir()], { encoding: 'utf8' });
    assert.match(empty.stdout, /no unanswered or clarified questions stored/);
    const bad = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--since', 'yesterday-ish'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since must be a date/);
  });

  it("masks the customers' personal data in what it reports (the admin Gaps page and `tact kb gaps` show it to editors)", () => {
    const index = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
    const at = '2026-11-20T10:00:00Z';
    const asked = (text: string): StoredEvent[] => [
      { kind: 'message', at, from: 'customer', text },
      { kind: 'decision', at, action: 'none', faqId: null, handoffReason: null, confidence: 0.1 },
    ];
    const gaps = findGaps(new Map([['c1', asked('能寄到公司吗？我的电话１３９８７６５１２３４')], ['c2', asked('能寄到公司吗？电话139.8765.1234')]]), index);
    const report = JSON.stringify(gaps);
    assert.match(report, /139\*\*\*\*1234/);
    assert.ok(!report.normalize('NFKC').includes('98765') && !report.includes('8765.1234'), report);
  });

  it('prints a gap with a phone number, an e-mail address and an ID number masked, in text and in --json, exactly as the admin page shows it', async () => {
    const data = tempDir();
    const store = await openLowdbStore(data);
    const asked = '能寄到公司吗？手机13812345678，邮箱zhang.wei@example.com，身份证11010519491231002X';
    await conversation(store, 'c1', [[asked, 'none', '2026-11-20T10:00:00Z']]);
    await store.close();
    const masked = maskPii(asked);
    assert.equal(masked, '能寄到公司吗？手机138****5678，邮箱z***@example.com，身份证110105********002X');
    const text = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--data', data], { encoding: 'utf8' });
    const json = spawnSync(process.execPath, [BIN, 'kb', 'gaps', shopKb(), '--data', data, '--json'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`1\\. ×1 unanswered: ${masked.replace(/[.*?]/g, '\\$&')}\n`));
    assert.deepEqual((JSON.parse(json.stdout) as { gaps: { message: string; examples: string[] }[] }).gaps.map((g) => [g.message, g.examples]), [[masked, [masked]]]);
    for (const out of [text.stdout, json.stdout]) for (const secret of ['13812345678', 'zhang.wei', '19491231']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
  });
});
