import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../../../src/bot/store/store.js';
import type { RunningServer } from '../../../../src/bot/server.js';
import { testConfig, testServer } from '../../../helpers/chat-server.js';
import { withFaults } from '../../../helpers/faulty-store.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A conversation whose only question, asked at `when`, went unanswered. */
function unanswered(text: string, when: Date): StoredEvent[] {
  const at = when.toISOString();
  return [
    { kind: 'session', at, lang: 'zh', customerId: null, name: null },
    { kind: 'message', at, from: 'customer', text, id: `q-${when.getTime()}` },
    { kind: 'decision', at, action: 'none', faqId: null, handoffReason: null, confidence: 0.05 },
    { kind: 'turn', at, id: `q-${when.getTime()}` },
  ];
}

/**
 * A server over a data directory holding one conversation per age given,
 * whose store records which conversations a request reads.
 */
async function serverWith(ages: Readonly<Record<string, number>>): Promise<{ server: RunningServer; reads: string[]; get: (path: string) => Promise<{ status: number; html: string }> }> {
  const config = testConfig(shopKb(), { TACT_ADMIN_TOKEN: TOKEN });
  const setup = await openLowdbStore(config.dataDir);
  for (const [id, days] of Object.entries(ages)) for (const e of unanswered(`能开增值税专用发票吗 ${id}`, new Date(Date.now() - days * DAY_MS))) await setup.append(id, e);
  await setup.close();
  for (const [id, days] of Object.entries(ages)) {
    const when = new Date(Date.now() - days * DAY_MS);
    utimesSync(join(config.dataDir, 'conversations', `${id}.json`), when, when);
  }
  const reads: string[] = [];
  const server = await testServer(config, { watchKb: false, wrapStore: (store) => withFaults(store, { read: (id) => (reads.push(id), null) }) });
  const get = async (path: string): Promise<{ status: number; html: string }> => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, html: await res.text() };
  };
  return { server, reads, get };
}

describe('the admin reports read only the conversations of their window', () => {
  after(() => cleanTempDirs());

  it('builds the dashboard from the last two weeks without reading older conversations', async () => {
    const { server, reads, get } = await serverWith({ 'yesterday-aaaaaaaaaaaaa': 1, 'last-month-aaaaaaaaaaaa': 40 });
    try {
      reads.length = 0;
      const page = await get('/admin/dashboard');
      assert.equal(page.status, 200, page.html.slice(0, 300));
      assert.match(page.html, /id="conversations-total">1</);
      assert.ok(reads.includes('yesterday-aaaaaaaaaaaaa'));
      assert.ok(!reads.includes('last-month-aaaaaaaaaaaa'), `read: ${reads.join(', ')}`);
    } finally {
      await server.close();
    }
  });

  it('lists the gaps of the last 30 days unless another window is picked, reading only that window, and refuses a window it does not offer', async () => {
    const { server, reads, get } = await serverWith({ 'last-week-aaaaaaaaaaaaa': 5, 'two-months-aaaaaaaaaaaa': 60, 'two-years-aaaaaaaaaaaaa': 700 });
    try {
      reads.length = 0;
      const month = await get('/admin/gaps');
      assert.equal(month.status, 200);
      assert.match(month.html, /last-week/);
      assert.doesNotMatch(month.html, /two-months|two-years/);
      assert.deepEqual(reads.filter((id) => id.startsWith('two-')), []);
      const quarter = await get('/admin/gaps?days=90');
      assert.match(quarter.html, /two-months/);
      assert.doesNotMatch(quarter.html, /two-years/);
      assert.match(quarter.html, /aria-current="page">90 days/);
      const refused = await get('/admin/gaps?days=100000');
      assert.equal(refused.status, 400);
      assert.match(refused.html, /days must be one of 7, 30, 90, 365/);
    } finally {
      await server.close();
    }
  });
});
