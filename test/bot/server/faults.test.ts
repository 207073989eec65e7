/**
 * The fault suite's restart matrix: the real `tact start`, stopped or killed
 * in each way a server dies — a clean stop, kill -9 while idle, during
 * startup, twice in a row, in the middle of a fold, in the middle of a burst
 * of sends — and then the same customer comes back (same session token) and
 * sends more. Whatever was acknowledged must be in the history the customer
 * is shown and in the data directory read offline, once and in order.
 *
 * Issue 12, finding 1: on the store as it was, the clean stop, the kill
 * during startup and the two kills in a row lose the customer's new messages.
 */
import assert from 'node:assert/strict';
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import { assertAckedKept, idsOnDisk } from '../../helpers/acked-kept.js';
import { ReturningCustomer } from '../../helpers/returning-customer.js';
import { TactHost, type ServingTact } from '../../helpers/tact-host.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';
import { until } from '../../helpers/until.js';

/** The store moves its log aside under this name while it folds it into the conversation files. */
const FOLDING_LOG = 'wal.folding.log';
/** The customers put load on the server at once to fill the log up to a fold, and the most rounds of them. */
const LOAD_CUSTOMERS = 25;
const LOAD_ROUNDS = 12;
/** A fold after this many log records (TACT_STORE_FOLD_EVERY), so a few rounds of load reach one. */
const FOLD_AFTER = 1000;

describe('the restart matrix: a customer who comes back loses no acknowledged message', function () {
  this.timeout(120_000);
  const hosts: TactHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((h) => h.killAll()));
    cleanTempDirs();
  });

  async function newHost(env: Readonly<Record<string, string>> = {}): Promise<TactHost> {
    const host = await TactHost.create(shopKb(), tempDir(), env);
    hosts.push(host);
    return host;
  }

  /** A customer's first visit: a few messages, all acknowledged, then the bot finishes answering. */
  async function firstVisit(host: TactHost): Promise<ReturningCustomer> {
    const customer = new ReturningCustomer('returning');
    await customer.visit(host.url);
    await customer.ask(5);
    await customer.quiet();
    return customer;
  }

  /**
   * The customer comes back to the restarted server, sends again what was
   * never acknowledged and five new messages; then a fresh socket's history
   * and, after a clean stop, the data directory read offline must keep every
   * acknowledged message (of `others` too, on disk).
   */
  async function comesBackAndNothingIsLost(host: TactHost, server: ServingTact, customer: ReturningCustomer, others: readonly ReturningCustomer[] = []): Promise<void> {
    await customer.visit(host.url);
    await customer.resendUnacked();
    await customer.ask(5);
    await customer.quiet();
    customer.leave();
    const shown = await customer.historyIds(host.url);
    assert.equal(await server.stop(), 0, `the server did not stop cleanly: ${server.stderr}`);
    const disk = await idsOnDisk(host.dataDir);
    // Both views are checked before failing, so a failure says whether the messages are hidden or gone from disk too.
    const failures = [() => assertAckedKept(customer, shown, 'the history shown after the restart'), ...[customer, ...others].map((c) => () => assertAckedKept(c, disk.get(c.sessionId) ?? [], `the data directory (${c.name})`))].flatMap((check) => {
      try {
        check();
        return [];
      } catch (err) {
        return [(err as Error).message.split('\n')[0] as string];
      }
    });
    if (failures.length > 0) assert.fail(failures.join('\n'));
  }

  it('after a clean stop (SIGTERM)', async () => {
    const host = await newHost();
    const first = await host.start();
    const customer = await firstVisit(host);
    customer.leave();
    assert.equal(await first.stop(), 0, first.stderr);
    await comesBackAndNothingIsLost(host, await host.start(), customer);
  });

  it('after kill -9 while idle', async () => {
    const host = await newHost();
    const first = await host.start();
    const customer = await firstVisit(host);
    await first.kill();
    await comesBackAndNothingIsLost(host, await host.start(), customer);
  });

  it('after kill -9 during startup, once the store has opened', async () => {
    const host = await newHost();
    const first = await host.start();
    const customer = await firstVisit(host);
    await first.kill();
    await host.startKilledAt('slack.off');
    await comesBackAndNothingIsLost(host, await host.start(), customer);
  });

  it('after kill -9 twice in a row with no traffic between', async () => {
    const host = await newHost();
    const first = await host.start();
    const customer = await firstVisit(host);
    await first.kill();
    await (await host.start()).kill();
    await comesBackAndNothingIsLost(host, await host.start(), customer);
  });

  it('after kill -9 in the middle of a fold of the log into the conversation files', async () => {
    const host = await newHost({ TACT_STORE_FOLD_EVERY: String(FOLD_AFTER) });
    const first = await host.start();
    const customer = await firstVisit(host);
    const killedMidFold = killWhenFoldStarts(host, first);
    const load = await loadUntil(host, () => killedMidFold.done);
    killedMidFold.stop();
    assert.ok(killedMidFold.done, `no fold started after ${load.length} customers' messages (the store folds every ${FOLD_AFTER} records)`);
    await first.kill();
    assert.ok(existsSync(join(host.dataDir, FOLDING_LOG)), 'the kill landed after the fold had finished, not in the middle of it');
    await comesBackAndNothingIsLost(host, await host.start(), customer, load);
  });

  it('after kill -9 in the middle of a burst of sends', async () => {
    const host = await newHost();
    const first = await host.start();
    const customer = new ReturningCustomer('returning');
    await customer.visit(host.url);
    const others = Array.from({ length: 10 }, (_, i) => new ReturningCustomer(`burst${i}`));
    await Promise.all(others.map((c) => c.visit(host.url)));
    let inFlight: number | null = null;
    customer.onAck(6, () => {
      first.child.kill('SIGKILL');
      inFlight = [customer, ...others].reduce((n, c) => n + c.sent.length - c.acked.size, 0);
    });
    const sending = Promise.all([customer.trickle(15, 5), ...others.map((c) => c.trickle(19, 3))]);
    await until('the sixth acknowledgement of the burst', () => inFlight !== null, 15_000);
    await sending;
    await first.kill();
    assert.ok((inFlight ?? 0) > 0, 'the kill landed after every message sent was acknowledged; nothing was in flight');
    await comesBackAndNothingIsLost(host, await host.start(), customer, others);
  });
});

/** kill -9 the moment the store moves its log aside to fold it (an inotify watch on the data directory, so the kill is not late). */
function killWhenFoldStarts(host: TactHost, server: ServingTact): { readonly done: boolean; stop(): void } {
  const state = { done: false };
  const watcher = watch(host.dataDir, (_type, name) => {
    if (state.done || name !== FOLDING_LOG || !existsSync(join(host.dataDir, FOLDING_LOG))) return;
    state.done = true;
    server.child.kill('SIGKILL');
  });
  return {
    get done() {
      return state.done;
    },
    stop: () => watcher.close(),
  };
}

/** Rounds of new customers, each sending a burst of messages, until `enough` (or LOAD_ROUNDS rounds); returns them all. */
async function loadUntil(host: TactHost, enough: () => boolean): Promise<ReturningCustomer[]> {
  const all: ReturningCustomer[] = [];
  for (let round = 0; round < LOAD_ROUNDS && !enough(); round++) {
    const customers = Array.from({ length: LOAD_CUSTOMERS }, (_, i) => new ReturningCustomer(`load${round}x${i}`));
    all.push(...customers);
    await Promise.all(
      customers.map(async (c) => {
        await c.visit(host.url).catch(() => undefined);
        if (!c.visited || enough()) return;
        c.burst(19);
        await c.acksFor(c.sent).catch(() => undefined);
      }),
    );
  }
  for (const c of all) c.leave();
  return all.filter((c) => c.visited);
}
