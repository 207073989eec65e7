import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { journalLine, stdoutIsJournal } from '../../src/bot/journal.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const LOG = resolve(import.meta.dirname, '..', '..', 'src', 'bot', 'log.ts');

/** Runs a logger in a child whose stdout is `file`, with this JOURNAL_STREAM; returns what it wrote. */
function logThrough(file: string, journalStream: string | undefined): string {
  const out = openSync(file, 'w');
  try {
    const script = `import { createLogger } from ${JSON.stringify(LOG)}; const log = createLogger('debug'); log.warn('kb.rejected', { file: 'faqs/a.yaml' }); log.info('server.started', {});`;
    const env = { ...process.env, JOURNAL_STREAM: journalStream };
    if (journalStream === undefined) delete env['JOURNAL_STREAM'];
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', out, 'pipe'], env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  } finally {
    closeSync(out);
  }
  return readFileSync(file, 'utf8');
}

describe('log lines on the journal', () => {
  after(() => cleanTempDirs());

  it('puts the priority journald reads in front of each JSON line', () => {
    assert.equal(journalLine('{"level":"error"}\n', 'error'), '<3>{"level":"error"}\n');
    assert.equal(journalLine('{}\n', 'warn'), '<4>{}\n');
    assert.equal(journalLine('{}\n', 'info'), '<6>{}\n');
    assert.equal(journalLine('{}\n', 'debug'), '<7>{}\n');
  });

  it('knows stdout is the journal only when JOURNAL_STREAM names its device and inode', () => {
    const stdout = () => ({ dev: 2049n, ino: 12345678901234567890n });
    assert.equal(stdoutIsJournal({ JOURNAL_STREAM: '2049:12345678901234567890' }, stdout), true);
    assert.equal(stdoutIsJournal({ JOURNAL_STREAM: '2049:1' }, stdout), false, 'stdout redirected elsewhere by the service');
    assert.equal(stdoutIsJournal({}, stdout), false);
    for (const hostile of ['', 'x:y', '2049:12345678901234567890:1', `${'9'.repeat(5000)}:1`]) assert.equal(stdoutIsJournal({ JOURNAL_STREAM: hostile }, stdout), false, hostile.slice(0, 20));
    assert.equal(stdoutIsJournal({ JOURNAL_STREAM: '1:1' }, () => { throw new Error('EBADF'); }), false);
  });

  it('writes prefixed lines to a stdout systemd named, and bare JSON lines to any other', () => {
    const file = join(tempDir('tact-journal-'), 'stdout');
    const journal = () => {
      const s = statSync(file, { bigint: true });
      return `${s.dev}:${s.ino}`;
    };
    assert.match(logThrough(file, undefined), /^\{"t":/, 'without JOURNAL_STREAM: bare JSON');
    const named = logThrough(file, journal()).split('\n').filter((l) => l !== '');
    assert.deepEqual(named.map((l) => l.slice(0, 4)), ['<4>{', '<6>{']);
    assert.equal((JSON.parse(named[0]?.slice(3) ?? '') as { event: string }).event, 'kb.rejected', 'the rest of the line is the JSON object');
    const elsewhere = logThrough(file, '1:1').split('\n').filter((l) => l !== '');
    assert.ok(elsewhere.every((l) => l.startsWith('{"t":')), elsewhere.join('\n'));
  });
});
