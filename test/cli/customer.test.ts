import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';
import { filesHolding } from '../helpers/traces.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');

function tact(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TACT_DATA_DIR: '', TACT_DATABASE_URL: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const at = '2026-11-27T10:00:00.000Z';
const said = (text: string, id: string): StoredEvent => ({ kind: 'message', at, from: 'customer', text, id });

/** A data directory with two customers: one gave a phone written the way people type it, the other wrote about returns. */
async function dataDir(): Promise<string> {
  const dir = tempDir();
  const store = await openLowdbStore(dir);
  await store.append('conv-a', { kind: 'session', at, lang: 'zh', customerId: null, name: null });
  await store.append('conv-a', said('快递三天没到，电话 １３８-１２３４-５６７８', 'a1'));
  await store.append('conv-b', said('how do I return shoes', 'b1'));
  await store.close();
  return dir;
}

describe('tact customer forget|export', () => {
  after(cleanTempDirs);

  it('exports what the customer said to a file written whole, the owner’s only', async () => {
    const dir = await dataDir();
    const out = join(tempDir(), 'export.json');
    const r = tact(['customer', 'export', '13812345678', '--data', dir, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exported 1 conversation/);
    const data = JSON.parse(readFileSync(out, 'utf8')) as { conversations: { id: string; messages: { text: string }[] }[] };
    assert.deepEqual(data.conversations.map((c) => [c.id, c.messages.map((m) => m.text)]), [['conv-a', ['快递三天没到，电话 １３８-１２３４-５６７８']]]);
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });

  it('forgets by phone: the words are gone from every file of the data directory, the other customer keeps theirs, and the audit names no one', async () => {
    const dir = await dataDir();
    const r = tact(['customer', 'forget', '138 1234 5678', '--by', 'ops'], { TACT_DATA_DIR: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Forgot 1 conversation/);
    assert.ok(!r.stdout.includes('5678') && !r.stderr.includes('5678'), 'the output does not repeat the phone');
    for (const gone of ['１３８', '快递三天没到']) assert.deepEqual(filesHolding(dir, gone), [], gone);
    assert.notDeepEqual(filesHolding(dir, 'how do I return shoes'), []);
    const store = await openLowdbStore(dir);
    const audit = JSON.stringify(await store.read('privacy-audit'));
    await store.close();
    assert.match(audit, /"action":"forget","by":"ops","conversations":1/);
    assert.ok(!audit.includes('conv-a') && !audit.includes('138'));
  });

  it('refuses malformed, oversized and hostile arguments with a clear message and changes nothing', async () => {
    const dir = await dataDir();
    const refused = (args: string[], why: RegExp): void => {
      const r = tact(['customer', ...args], { TACT_DATA_DIR: dir });
      assert.equal(r.code, 2, `${args.join(' ').slice(0, 60)}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, why);
    };
    refused([], /needs forget or export/);
    refused(['erase', 'x'], /unknown customer command "erase"/);
    refused(['forget'], /takes one customer/);
    refused(['forget', 'a', 'b'], /takes one customer/);
    refused(['forget', ''], /empty.*CUSTOMER_KEY_INVALID/);
    refused(['forget', 'x'.repeat(100_000)], /100000 characters long/);
    refused(['forget', "1' OR '1'='1"], /is not a conversation or customer id/);
    refused(['forget', '$(reboot)'], /is not a conversation or customer id/);
    refused(['forget', 'conv-a', '--out', 'x.json'], /--out and --files are for tact customer export/);
    refused(['forget', 'conv-a', '--force'], /Unknown option '--force'/);
    refused(['forget', 'conv-a', '--data', join(dir, 'nowhere')], /is not a Tact data directory/);
    refused(['export', 'conv-a', '--out', dir], /is a directory; give a file name/);
    const store = await openLowdbStore(dir);
    assert.equal((await store.read('conv-a')).length, 2, 'nothing was changed');
    await store.close();
  });

  it('keeps only a name of the one who acted in the audit, whatever --by holds', async () => {
    const dir = await dataDir();
    const r = tact(['customer', 'export', 'conv-b', '--data', dir, '--by', '$(reboot)\n<script>ops</script>"' + 'x'.repeat(500)]);
    assert.equal(r.code, 0, r.stderr);
    const store = await openLowdbStore(dir);
    const [entry] = await store.read('privacy-audit');
    await store.close();
    assert.ok(entry?.kind === 'privacy' && entry.op === 'audit');
    assert.match(entry.by, /^[\p{L}\p{N}_.@ -]{1,64}$/u);
    assert.equal(entry.action, 'export');
  });

  it('refuses a data directory a running server holds, pointing at the admin page', async () => {
    const dir = await dataDir();
    const store = await openLowdbStore(dir);
    const r = tact(['customer', 'forget', 'conv-a', '--data', dir]);
    await store.close();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /stop the server first, or use the Privacy page of \/admin/);
    assert.ok(!existsSync(join(dir, 'export.json')));
  });
});
