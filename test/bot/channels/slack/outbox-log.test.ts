import assert from 'node:assert/strict';
import { createLogger } from '../../../../src/bot/log.js';
import { parseItem } from '../../../../src/bot/channels/slack/outbox-feed.js';
import { OutboxLog } from '../../../../src/bot/channels/slack/outbox-log.js';
import { SlackOutbox, type SlackCaller } from '../../../../src/bot/channels/slack/outbox.js';
import { openLowdbStore } from '../../../../src/bot/store/lowdb-store.js';
import type { Store, StoredEvent } from '../../../../src/bot/store/store.js';
import { withFaults } from '../../../helpers/faulty-store.js';
import { cleanTempDirs, tempDir } from '../../../helpers/temp-kb.js';
import { until } from '../../../helpers/until.js';

const quiet = createLogger('error', () => undefined);
const INTERVAL = 20;
const DAY_ONE = Date.parse('2026-11-27T10:00:00Z');
/** Five minutes into the next day: within the grace a day's log is kept open for slow clocks. */
const NEXT_DAY_EARLY = Date.parse('2026-11-28T00:05:00Z');
const NEXT_DAY = Date.parse('2026-11-28T00:11:00Z');

function slack(): { texts: string[]; caller: SlackCaller } {
  const texts: string[] = [];
  let ts = 1000;
  return {
    texts,
    caller: async (_method, args) => {
      texts.push(String(args['text']));
      return { ts: `${++ts}.000100`, channel: 'C1' };
    },
  };
}

const call = (id: string, text = id) => ({ id, method: 'chat.postMessage' as const, channel: 'C1', args: { text } });

async function index(store: Store): Promise<string[]> {
  return (await store.read('slack-outbox-days')).flatMap((e: StoredEvent) => (e.kind === 'outbox' && e.op === 'segment' ? [`${e.segment} ${e.live ? 'live' : 'closed'}`] : []));
}

describe("the Slack outbox's day logs", () => {
  const stores: Store[] = [];
  const open = async (dir = tempDir()): Promise<Store> => {
    const store = await openLowdbStore(dir);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  after(cleanTempDirs);

  it('closes a day once it is over and every call in it is done, so a start reads only the days still live', async () => {
    const dir = tempDir();
    const store = await open(dir);
    let clock = DAY_ONE;
    const api = slack();
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL, { clock: () => clock });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'handoff' }, rememberAs: 's1' });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'transcript' }, threadOf: 's1' });
    await until('day one sent', () => api.texts.length === 2);
    clock = NEXT_DAY_EARLY;
    await outbox.send({ method: 'chat.postMessage', channel: 'C2', args: { text: 'early' } });
    await until('the early call sent', () => api.texts.length === 3);
    assert.deepEqual(await index(store), ['slack-outbox-20261127 live', 'slack-outbox-20261128 live'], 'kept open for a clock a little behind');
    clock = NEXT_DAY;
    await outbox.send({ method: 'chat.postMessage', channel: 'C2', args: { text: 'later' } });
    await until('the later call sent', () => api.texts.length === 4);
    // Closing follows the call's outcome being recorded: a read of the log, then the index.
    let closed = false;
    for (let i = 0; i < 100 && !closed; i++) {
      closed = (await index(store)).includes('slack-outbox-20261127 closed');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(closed, 'day one closed');
    await outbox.stop();
    await store.close();
    stores.splice(0);

    const reads: string[] = [];
    const again = withFaults(await open(dir), { read: (id) => (reads.push(id), null) });
    const restarted = await SlackOutbox.open(again, slack().caller, quiet, INTERVAL, { clock: () => clock });
    assert.deepEqual(reads.sort(), ['slack-outbox', 'slack-outbox-20261128', 'slack-outbox-days']);
    assert.deepEqual(await restarted.posts.post('s1'), { channel: 'C1', ts: '1001.000100' }, "day one's post is still found, in the session's log");
    await restarted.stop();
  });

  it('keeps a day open while a call in it is not done, and finds a call stored elsewhere that never reached the sender before closing it', async () => {
    const store = await open();
    let clock = DAY_ONE;
    const sender = new OutboxLog(store, () => clock);
    const elsewhere = new OutboxLog(store, () => clock);
    await sender.replay();
    const mine = await sender.add(call('mine'));
    assert.equal(sender.take(mine), true);
    const lost = await elsewhere.add(call('lost'));
    clock = NEXT_DAY;
    assert.deepEqual(await sender.closeFinished(), [], 'mine is still open');
    await sender.settle(mine, { kind: 'outbox', at: new Date(clock).toISOString(), op: 'done', id: mine.id, rememberAs: null, post: null });
    assert.deepEqual((await sender.closeFinished()).map((i) => i.id), ['lost'], 'found when the log is read again, and taken');
    assert.equal(sender.take(lost), false, 'taken once');
    assert.deepEqual(await index(store), ['slack-outbox-20261127 live', 'slack-outbox-20261127 live'], 'announced by each instance that stored in it, not closed');
    await sender.settle(lost, { kind: 'outbox', at: new Date(clock).toISOString(), op: 'dropped', id: lost.id, reason: 'channel_not_found' });
    assert.deepEqual(await sender.closeFinished(), []);
    assert.deepEqual((await index(store)).slice(-1), ['slack-outbox-20261127 closed']);
    assert.deepEqual((await new OutboxLog(store, () => clock).replay()).open, [], 'nothing left for the next sender');
  });

  it('takes a call once, whether it was handed over, read back in a replay, or both', async () => {
    const store = await open();
    const writer = new OutboxLog(store, () => DAY_ONE);
    const sender = new OutboxLog(store, () => DAY_ONE);
    const handed = await writer.add(call('handed'));
    const unhanded = await writer.add(call('unhanded'));
    assert.equal(sender.take(handed), true);
    assert.deepEqual((await sender.replay()).open.map((i) => i.id), ['unhanded']);
    assert.equal(sender.take(unhanded), false);
    assert.deepEqual((await sender.replay()).open, []);
    sender.forget();
    assert.deepEqual((await sender.replay()).open.map((i) => i.id), ['handed', 'unhanded'], 'after standing by, everything not done is read again');
  });

  it('still sends what the legacy slack-outbox log left undone, once, and knows its posts; new calls go to the day logs', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const at = new Date(DAY_ONE).toISOString();
    await store.append('slack-outbox', { kind: 'outbox', at, op: 'queued', item: call('old-done', 'old card') });
    await store.append('slack-outbox', { kind: 'outbox', at, op: 'done', id: 'old-done', rememberAs: 's0', post: { channel: 'C1', ts: '900.000100' } });
    await store.append('slack-outbox', { kind: 'outbox', at, op: 'queued', item: call('old-left', 'left over') });
    const api = slack();
    const outbox = await SlackOutbox.open(store, api.caller, quiet, INTERVAL, { clock: () => DAY_ONE });
    await outbox.send({ method: 'chat.postMessage', channel: 'C1', args: { text: 'new' }, threadOf: 's0' });
    await until('both sent', () => api.texts.length === 2);
    assert.deepEqual(api.texts, ['left over', 'new']);
    assert.equal(outbox.keyOf('C1', '900.000100'), 's0');
    await outbox.stop();
    assert.equal((await store.read('slack-outbox')).length, 4, 'only the left-over call’s outcome was added');
    assert.equal((await store.read('slack-outbox-20261127')).length, 2, 'the new call and its outcome');

    const api2 = slack();
    const again = await SlackOutbox.open(store, api2.caller, quiet, INTERVAL, { clock: () => DAY_ONE });
    await new Promise((r) => setTimeout(r, 5 * INTERVAL));
    assert.deepEqual(api2.texts, [], 'nothing sent twice');
    await again.stop();
  });

  it('takes from the feed only entries that are calls', () => {
    const item = { ...call('c1'), segment: 'slack-outbox-20261127', threadOf: 's1' };
    assert.deepEqual(parseItem(JSON.stringify(item)), item);
    for (const bad of ['not json', 'null', '[]', JSON.stringify({ ...item, method: 'users.delete' }), JSON.stringify({ ...item, args: 'x' }), JSON.stringify({ ...item, segment: 3 }), JSON.stringify({ ...item, threadOf: 5 })]) {
      assert.equal(parseItem(bad), null, bad);
    }
  });
});
