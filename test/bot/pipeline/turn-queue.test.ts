import assert from 'node:assert/strict';
import { LocalTurnQueue } from '../../../src/bot/pipeline/turn-queue.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the in-process turn queue', () => {
  it("runs one conversation's turns one at a time, in arrival order, while other conversations run alongside", async () => {
    const queue = new LocalTurnQueue();
    const log: string[] = [];
    const turn = (name: string, ms: number) => async (): Promise<string> => {
      log.push(`${name} start`);
      await tick(ms);
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run('a', turn('a1', 30)), queue.run('a', turn('a2', 1)), queue.run('b', turn('b1', 5))]);
    assert.deepEqual(results, ['a1', 'a2', 'b1']);
    assert.ok(log.indexOf('a1 end') < log.indexOf('a2 start'), log.join(', '));
    assert.ok(log.indexOf('b1 end') < log.indexOf('a1 end'), 'b did not wait for a');
  });

  it('runs the next turn after one that failed, and passes the failure to its caller only', async () => {
    const queue = new LocalTurnQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('script threw')));
    const next = queue.run('a', () => Promise.resolve('answered'));
    await assert.rejects(failed, /script threw/);
    assert.equal(await next, 'answered');
  });

  it('is idle once every queued turn has finished, and then holds no conversation', async () => {
    const queue = new LocalTurnQueue();
    let done = 0;
    for (let i = 0; i < 5; i++) void queue.run(`c${i % 2}`, async () => void (await tick(5), done++));
    assert.equal(queue.busy, 2);
    await queue.idle();
    assert.deepEqual([done, queue.busy], [5, 0]);
  });
});
