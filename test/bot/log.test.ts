import assert from 'node:assert/strict';
import { createLogger } from '../../src/bot/log.js';

describe('createLogger', () => {
  const capture = (level: 'debug' | 'info' | 'warn' | 'error' = 'info') => {
    const lines: string[] = [];
    const log = createLogger(level, (l) => lines.push(l), () => new Date('2026-11-27T10:00:00Z'));
    return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('writes one JSON object per line with time, level and event', () => {
    const { log, lines, parsed } = capture();
    log.info('server.started', { port: 3000 });
    assert.equal(lines[0]?.endsWith('\n'), true);
    assert.deepEqual(parsed()[0], { t: '2026-11-27T10:00:00.000Z', level: 'info', event: 'server.started', port: 3000 });
  });

  it('masks personal data in every string, however deep', () => {
    const { log, lines } = capture();
    log.info('message.received', { text: '我的手机13812345678，邮箱zhang.wei@example.com', nested: { list: ['卡号4111111111111111'] }, err: new Error('call 13912345678 failed') });
    assert.doesNotMatch(lines.join(''), /13812345678|zhang\.wei@|4111111111111111|13912345678/);
    assert.match(lines.join(''), /138\*\*\*\*5678/);
  });

  it('drops messages below its level', () => {
    const { log, lines } = capture('warn');
    log.info('noise');
    log.debug('more noise');
    log.warn('kept');
    assert.equal(lines.length, 1);
  });

  it('cuts huge strings, bounds depth so even a cycle ends, and copes with bigints and empty values', () => {
    const { log, parsed } = capture();
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 20; i++) cur = (cur['next'] = {}) as Record<string, unknown>;
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    log.error('odd', { huge: 'x'.repeat(100_000), deep, cycle, big: 10n, nothing: undefined, nul: null });
    const entry = parsed()[0] as Record<string, unknown>;
    assert.ok(String(entry['huge']).length <= 501);
    assert.equal(entry['big'], '10');
  });
});
