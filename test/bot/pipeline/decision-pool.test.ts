import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEW_CONVERSATION } from '../../../src/bot/core/conversation.js';
import { buildFaqIndex, type FaqIndex } from '../../../src/bot/core/faq-index.js';
import { createLogger, type Logger } from '../../../src/bot/log.js';
import { decideHere, type DecideRequest } from '../../../src/bot/pipeline/decider.js';
import { DecisionPool } from '../../../src/bot/pipeline/decision-pool.js';
import { packageRoot } from '../../../src/kb/defaults.js';
import { languageData } from '../../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';
import { until } from '../../helpers/until.js';

const FAULTY = new URL('../../fixtures/faulty-decision-worker.ts', import.meta.url);
const asked = (text: string): DecideRequest => ({ kind: 'turn', conversation: NEW_CONVERSATION, text, customer: {}, asksForHuman: false });

function capture(): { log: Logger; events: () => string[] } {
  const lines: string[] = [];
  return { log: createLogger('debug', (l) => lines.push(l)), events: () => lines.map((l) => (JSON.parse(l) as { event: string }).event) };
}

describe('decisions in worker threads', function () {
  this.timeout(60_000);
  const pools: DecisionPool[] = [];
  const pool = (opts: Omit<ConstructorParameters<typeof DecisionPool>[0], 'log'> & { log?: Logger }): DecisionPool => {
    const p = new DecisionPool({ log: createLogger('error', () => undefined), ...opts });
    pools.push(p);
    return p;
  };
  let demo: FaqIndex;
  before(() => {
    demo = buildFaqIndex(loadKnowledgeBase(join(packageRoot(), 'knowledge-base')), languageData());
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  after(() => cleanTempDirs());

  it('decides every regression case of the demo KB exactly as the event loop does, conversation and all', async () => {
    const p = pool({ size: 2 });
    p.prepare(demo);
    const texts = readFileSync(join(packageRoot(), 'knowledge-base', 'cases.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    // Once the workers hold the index, every decision comes from one of them.
    await until('the workers to hold the KB', () => p.ready === 2, 20_000);
    let conversation = NEW_CONVERSATION;
    for (const text of texts) {
      const request: DecideRequest = { kind: 'turn', conversation, text, customer: { name: '王芳' }, asksForHuman: false };
      const [there, here] = [await p.decide(demo, request), decideHere(demo, request)];
      assert.deepEqual(there, here, text);
      conversation = here?.conversation ?? conversation;
    }
    assert.deepEqual(await p.decide(demo, { kind: 'choice', conversation, faqId: 'ship-time', customer: {} }), decideHere(demo, { kind: 'choice', conversation, faqId: 'ship-time', customer: {} }));
  });

  it('decides a turn begun on the KB before an edit with that KB, and later turns with the new one', async () => {
    const edited = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
    const p = pool({ size: 1 });
    p.prepare(demo);
    p.prepare(edited);
    const question = asked('下单后多久发货？');
    for (const index of [demo, edited, demo]) assert.deepEqual(await p.decide(index, question), decideHere(index, question));
    assert.notDeepEqual(decideHere(demo, question)?.decision.reply, decideHere(edited, question)?.decision.reply, 'the two KBs answer differently');
  });

  it("makes a dead worker's decisions here, and starts another in its place", async () => {
    const { log, events } = capture();
    const p = pool({ size: 1, workerUrl: FAULTY, log });
    p.prepare(demo);
    await until('the worker to hold the KB', () => p.ready === 1);
    const [dying, waiting] = [p.decide(demo, asked('exit')), p.decide(demo, asked('下单后多久发货？'))];
    assert.deepEqual(await dying, decideHere(demo, asked('exit')));
    assert.deepEqual(await waiting, decideHere(demo, asked('下单后多久发货？')));
    assert.ok(events().includes('decider.worker_exited'));
    await until('a new worker holding the KB', () => p.ready === 1);
  });

  it('stops a worker that never answers, and makes its decisions here', async () => {
    const { log, events } = capture();
    const p = pool({ size: 1, workerUrl: FAULTY, log, timeoutMs: 300 });
    p.prepare(demo);
    await until('the worker to hold the KB', () => p.ready === 1);
    assert.deepEqual(await p.decide(demo, asked('hang')), decideHere(demo, asked('hang')));
    assert.ok(events().includes('decider.worker_stuck'));
  });

  it('gives up replacing a worker that keeps dying, and decides everything here', async () => {
    const { log, events } = capture();
    const p = pool({ size: 1, workerUrl: FAULTY, log, maxRestarts: 1 });
    p.prepare(demo);
    for (let i = 0; i < 2; i++) {
      await until('a worker holding the KB', () => p.ready === 1);
      await p.decide(demo, asked('exit'));
    }
    await until('given up', () => events().includes('decider.worker_given_up'));
    assert.equal(p.running, 0);
    assert.deepEqual(await p.decide(demo, asked('下单后多久发货？')), decideHere(demo, asked('下单后多久发货？')));
  });

  it('makes decisions still out when it closes here', async () => {
    const p = pool({ size: 1, workerUrl: FAULTY });
    p.prepare(demo);
    await until('the worker to hold the KB', () => p.ready === 1);
    const out = p.decide(demo, asked('hang'));
    await p.close();
    assert.deepEqual(await out, decideHere(demo, asked('hang')));
  });
});
