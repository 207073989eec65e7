import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { crashReport, guardProcess, withoutSecrets } from '../../src/cli/crash.js';
import { createLogger } from '../../src/bot/log.js';

describe('the crash handler', () => {
  it('reports only the error\'s name, message, code and stack, never the request it carries', () => {
    const err = Object.assign(new TypeError('boom'), { code: 'E_BOOM', req: { headers: { authorization: 'Bearer abc', cookie: 'tact_admin=xyz' } }, config: { token: 'xoxb-123-456' } });
    const report = crashReport('uncaught_exception', err);
    assert.deepEqual(Object.keys(report.error).sort(), ['code', 'message', 'name', 'stack']);
    assert.deepEqual([report.kind, report.error.name, report.error.message, report.error.code], ['uncaught_exception', 'TypeError', 'boom', 'E_BOOM']);
    assert.match(report.error.stack[0] ?? '', /^at /);
    assert.doesNotMatch(JSON.stringify(report), /abc|xyz|xoxb/);
  });

  it('reports a rejection with something other than an error by its type and text', () => {
    assert.deepEqual(crashReport('unhandled_rejection', 42), { kind: 'unhandled_rejection', error: { name: 'number', message: '42', code: null, stack: [] } });
  });

  it('blanks credentials and Slack tokens quoted in a message', () => {
    assert.equal(withoutSecrets('sent Authorization: Bearer s3cr3t.token, then xoxb-1-2-abc and xapp-1-A0-xyz'), 'sent Authorization: Bearer [redacted], then [redacted] and [redacted]');
  });

  it('logs one line, closes what it was given, and exits 1', async () => {
    const lines: string[] = [];
    const exits: number[] = [];
    let closed = false;
    const proc = new EventEmitter();
    const guard = guardProcess(createLogger('error', (line) => lines.push(line)), (code) => exits.push(code), proc);
    guard.closeOnCrash(async () => {
      closed = true;
    });
    proc.emit('uncaughtException', new Error('nobody caught this'));
    await new Promise((r) => setImmediate(r));
    guard.dispose();
    assert.equal(proc.listenerCount('uncaughtException'), 0, 'disposed');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /"event":"process\.crashed".*"kind":"uncaught_exception".*nobody caught this/);
    assert.ok(closed);
    assert.deepEqual(exits, [1]);
  });
});
