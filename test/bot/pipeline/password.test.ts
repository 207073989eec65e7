import assert from 'node:assert/strict';
import { hashPassword, passwordProblem, verifyNobody, verifyPassword } from '../../../src/bot/pipeline/password.js';

describe('staff passwords', () => {
  it('keeps a salted scrypt hash that names its parameters, never the password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    assert.match(a, /^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'a random salt each time');
    assert.ok(!a.includes('correct'));
  });

  it('verifies the right password and refuses a wrong one, one differing in case, or an empty one', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('Correct horse battery', hash), false);
    assert.equal(await verifyPassword('', hash), false);
    assert.equal(await verifyNobody('correct horse battery'), false);
  });

  it('treats a hand-edited or hostile hash as no match, without spending minutes on absurd parameters', async () => {
    const hash = await hashPassword('correct horse battery');
    for (const bad of ['', 'plain text', hash.replace('scrypt$15', 'scrypt$30'), hash.replace('$8$1$', '$99$1$'), hash.slice(0, -1), `${hash}x`, hash.replace('scrypt', 'bcrypt')]) {
      assert.equal(await verifyPassword('correct horse battery', bad), false, bad);
    }
  });

  it('asks for at least 12 characters, at most 256, and no control characters', () => {
    assert.match(passwordProblem('short') ?? '', /at least 12 characters/);
    assert.match(passwordProblem('x'.repeat(257)) ?? '', /at most 256/);
    assert.match(passwordProblem('twelve chars\nmore') ?? '', /control characters/);
    assert.equal(passwordProblem('密码密码密码密码密码密码'), null, 'twelve characters, whatever the script');
    assert.equal(passwordProblem('correct horse battery'), null);
  });
});
