import assert from 'node:assert/strict';
import { ClusterDelivery } from '../../../src/bot/cluster/cluster-delivery.js';
import type { Delivered, Delivery } from '../../../src/bot/pipeline/deliver.js';
import { capturedLog, testRedis, type TestRedis } from '../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { until } from '../../helpers/until.js';

interface Sent {
  readonly conversationId: string;
  readonly item: Delivered;
  readonly origin?: string;
}

/** An instance's own sockets, as a list of what they were given. */
class FakeSockets implements Delivery {
  readonly sent: Sent[] = [];
  send(conversationId: string, item: Delivered, origin?: string): void {
    this.sent.push({ conversationId, item, ...(origin !== undefined ? { origin } : {}) });
  }
}

const message = (seq: number): Delivered => ({ type: 'message', seq, from: 'bot', text: `reply ${seq}`, at: '2026-11-27T10:00:00.000Z' });
const seqs = (sent: readonly Sent[]): number[] => sent.map((s) => (s.item.type === 'message' ? s.item.seq : -1));

/** Two instances, each with its own sockets and its own Cluster on the same prefix. */
async function twoInstances(redis: TestRedis): Promise<{ a: ClusterDelivery; b: ClusterDelivery; aSockets: FakeSockets; bSockets: FakeSockets }> {
  const aSockets = new FakeSockets();
  const bSockets = new FakeSockets();
  const a = await ClusterDelivery.start(await redis.join(), aSockets, capturedLog().log);
  const b = await ClusterDelivery.start(await redis.join(), bSockets, capturedLog().log);
  return { a, b, aSockets, bSockets };
}

describe('delivery across instances', () => {
  let redis: TestRedis;
  let proxy: TcpProxy | null = null;
  beforeEach(() => (redis = testRedis()));
  afterEach(async () => {
    await redis.cleanup();
    await proxy?.close();
    proxy = null;
  });

  it("shows a customer's other-instance tab every item once, in the order it was sent, and this instance's tabs each once", async () => {
    const { a, b, aSockets, bSockets } = await twoInstances(redis);
    for (let seq = 1; seq <= 100; seq++) a.send('conv-1', message(seq));
    a.send('conv-1', { type: 'typing', on: true });
    await until('the other instance to get all 101 items', () => bSockets.sent.length >= 101);
    await until('every item to be published', () => a.stats.published === 101);
    assert.deepEqual(seqs(bSockets.sent).slice(0, 100), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.deepEqual(bSockets.sent[100]?.item, { type: 'typing', on: true });
    assert.equal(bSockets.sent.length, 101);
    // A barrier: once B's item is through to A, A's listener has seen its own 101 echoes (one channel, one order).
    b.send('conv-1', { type: 'typing', on: false });
    await until("B's item on A", () => aSockets.sent.length >= 102);
    assert.deepEqual(seqs(aSockets.sent).slice(0, 100), seqs(bSockets.sent).slice(0, 100), 'delivered here once, not again from the channel');
    assert.deepEqual(aSockets.sent.slice(100), [
      { conversationId: 'conv-1', item: { type: 'typing', on: true } },
      { conversationId: 'conv-1', item: { type: 'typing', on: false } },
    ]);
  });

  it('carries the origin, so the connection a customer message came from is left out wherever it is', async () => {
    const { a, bSockets } = await twoInstances(redis);
    const own = { type: 'message' as const, seq: 4, from: 'customer' as const, text: '我的订单呢', at: '2026-11-27T10:00:00.000Z', id: 'w-1' };
    a.send('conv-2', own, 'socket-7');
    a.send('conv-2', { type: 'status', status: 'queued', position: 2 });
    await until('both items on the other instance', () => bSockets.sent.length === 2);
    assert.deepEqual(bSockets.sent, [
      { conversationId: 'conv-2', item: own, origin: 'socket-7' },
      { conversationId: 'conv-2', item: { type: 'status', status: 'queued', position: 2 } },
    ]);
  });

  it('logs and drops what does not fit on the channel, and keeps delivering what does', async () => {
    const log = capturedLog();
    const sockets = new FakeSockets();
    const cluster = await redis.join();
    const b = await ClusterDelivery.start(cluster, sockets, log.log);
    const channel = cluster.key('deliver');
    const garbage = [
      'not json',
      '[1,2]',
      JSON.stringify({ from: 'x', conversationId: '../etc', item: { type: 'typing', on: true } }),
      JSON.stringify({ from: 'x', conversationId: 'c', item: { type: 'message', seq: -1, from: 'bot', text: 'hi', at: 'now' } }),
      JSON.stringify({ from: 'x', conversationId: 'c', item: { type: 'welcome' } }),
      JSON.stringify({ from: 'x', conversationId: 'c', item: { type: 'status', status: 'hacked' } }),
      JSON.stringify({ from: 'x', conversationId: 'c', item: { type: 'typing', on: true }, origin: 42 }),
      'x'.repeat(70_000),
    ];
    for (const g of garbage) await redis.raw().publish(channel, g);
    await redis.raw().publish(channel, JSON.stringify({ from: 'other', conversationId: 'c', item: { type: 'lang', lang: 'en' } }));
    await until('the good message after the garbage', () => sockets.sent.length === 1);
    assert.deepEqual(sockets.sent, [{ conversationId: 'c', item: { type: 'lang', lang: 'en' } }]);
    assert.deepEqual(b.stats, { published: 0, unpublished: 0, received: 1, refused: garbage.length });
    assert.equal(log.events().filter((e) => e === 'cluster.delivery_refused').length, garbage.length);
  });

  it('delivers locally while Redis is away, logs the outage once, and publishes again when it is back', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const log = capturedLog();
    const aSockets = new FakeSockets();
    const bSockets = new FakeSockets();
    const a = await ClusterDelivery.start(await redis.join({ url: `redis://127.0.0.1:${proxy.port}`, log: log.log }), aSockets, log.log);
    await ClusterDelivery.start(await redis.join(), bSockets, capturedLog().log);

    await proxy.cut();
    for (let seq = 1; seq <= 5; seq++) a.send('conv-3', message(seq));
    assert.deepEqual(seqs(aSockets.sent), [1, 2, 3, 4, 5], 'this instance delivered at once');
    await until('the five failed publishes', () => a.stats.unpublished === 5);
    assert.equal(log.events().filter((e) => e === 'cluster.delivery_unpublished').length, 1);

    await proxy.restore();
    // Sent again and again until one gets through, since the instance reconnects when it will.
    await until('a publish to get through again', () => (a.send('conv-3', message(6)), bSockets.sent.length > 0), 10_000);
    assert.ok(seqs(bSockets.sent).every((s) => s >= 6), 'nothing from the outage arrived late');
    assert.ok(log.events().includes('cluster.delivery_publishing_again'));
  });
});
