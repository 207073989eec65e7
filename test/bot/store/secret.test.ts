import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../../src/bot/log.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import { dataDirSecret, SECRET_FILE } from '../../../src/bot/store/secret.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

function capture(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), lines };
}

describe('the session secret kept in the data directory', () => {
  after(cleanTempDirs);

  it('is made once, readable by the owner only, and read back the same', () => {
    const dir = tempDir();
    const { log, lines } = capture();
    const secret = dataDirSecret(dir, log);
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(dir, SECRET_FILE)).mode & 0o777, 0o600);
    assert.equal(dataDirSecret(dir, log), secret);
    assert.deepEqual(lines.filter((l) => l['level'] === 'error'), []);
  });

  it('warns of a lost secret only where customers talked before, not in a fresh data directory the store has just prepared', async () => {
    const fresh = tempDir();
    await (await openLowdbStore(fresh)).close();
    const first = capture();
    dataDirSecret(fresh, first.log);
    assert.deepEqual(first.lines.filter((l) => l['event'] === 'session.secret_new'), [], 'a new directory has no earlier customers');

    const used = tempDir();
    const store = await openLowdbStore(used);
    await store.append('c1', { kind: 'message', at: '2026-12-06T10:00:00.000Z', from: 'customer', text: '你好' });
    await store.close();
    const second = capture();
    dataDirSecret(used, second.log);
    assert.equal(second.lines.filter((l) => l['event'] === 'session.secret_new').length, 1);
  });

  for (const [what, content] of [
    ['an empty', ''],
    ['a short', 'abc123\n'],
  ] as const) {
    it(`sets ${what} secret file aside and says loudly that sessions were invalidated, instead of replacing it silently`, () => {
      const dir = tempDir();
      writeFileSync(join(dir, SECRET_FILE), content);
      const { log, lines } = capture();
      const secret = dataDirSecret(dir, log);
      assert.match(secret, /^[0-9a-f]{64}$/);
      const aside = readdirSync(dir).filter((f) => f.startsWith(`${SECRET_FILE}.damaged-`));
      assert.equal(aside.length, 1, readdirSync(dir).join(' '));
      assert.equal(readFileSync(join(dir, aside[0] as string), 'utf8'), content);
      const error = lines.find((l) => l['level'] === 'error' && l['event'] === 'session.secret_damaged');
      assert.ok(error, JSON.stringify(lines));
      assert.match(String(error['message']), /sign(ed)? in again|new session/i);
      assert.ok(!JSON.stringify(lines).includes(secret), 'the new secret is never logged');
    });
  }
});
