import assert from 'node:assert/strict';
import { KeyedQueue } from '../../../src/bot/store/keyed-queue.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one after another in the order given, even when one fails', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('a', task('1', 20)), queue.run('a', task('2', 1, true)), queue.run('a', task('3', 1))]);
    assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });

  it('runs tasks of different keys at once, and is idle once all have settled', async () => {
    const queue = new KeyedQueue();
    const running: string[] = [];
    let most = 0;
    const run = (key: string) =>
      queue.run(key, async () => {
        running.push(key);
        most = Math.max(most, running.length);
        await tick(10);
        running.splice(running.indexOf(key), 1);
      });
    void run('a');
    void run('b');
    await queue.idle();
    assert.equal(most, 2);
    assert.deepEqual(running, []);
  });
});
