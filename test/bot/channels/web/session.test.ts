import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SESSION_TTL_SECONDS, SessionSigner, verifyIdentity } from '../../../../src/bot/channels/web/session.js';

describe('SessionSigner', () => {
  const signer = new SessionSigner('s'.repeat(32));
  const now = 1_800_000_000;

  it('issues random sessions whose tokens verify until they expire', () => {
    const a = signer.issue(now);
    const b = signer.issue(now);
    assert.notEqual(a.session.id, b.session.id);
    assert.deepEqual(signer.verify(a.token, now + 60), a.session);
    assert.equal(signer.verify(a.token, now + SESSION_TTL_SECONDS + 1), null);
  });

  it('refuses a token for another session, an altered expiry, another secret, or junk', () => {
    const { token } = signer.issue(now);
    const [id, expires, mac] = token.split('.') as [string, string, string];
    const other = signer.issue(now).session.id;
    assert.equal(signer.verify(`${other}.${expires}.${mac}`, now), null, 'a token cannot be moved to another session');
    assert.equal(signer.verify(`${id}.${Number(expires) + 999_999}.${mac}`, now), null, 'the expiry cannot be extended');
    assert.equal(new SessionSigner('t'.repeat(32)).verify(token, now), null);
    for (const junk of [undefined, null, 42, {}, '', 'a.b.c', `${token}x`, 'x'.repeat(10_000), token.replace(/.$/, '!')]) assert.equal(signer.verify(junk, now), null);
  });
});

describe('verifyIdentity', () => {
  const secret = 'k'.repeat(32);
  const hash = (id: string) => createHmac('sha256', secret).update(id).digest('hex');

  it("accepts the host's signed identity and nothing else", () => {
    assert.deepEqual(verifyIdentity(secret, { id: 'u123', name: '张伟', hash: hash('u123') }), { id: 'u123', name: '张伟' });
    assert.equal(verifyIdentity(secret, { id: 'u124', name: '张伟', hash: hash('u123') }), null);
    assert.equal(verifyIdentity(null, { id: 'u123', name: '张伟', hash: hash('u123') }), null, 'ignored when no secret is configured');
    for (const junk of [null, 'u123', { id: 'u123' }, { id: 1, name: 'x', hash: 'y' }, { id: 'u', name: 'x'.repeat(500), hash: hash('u') }]) assert.equal(verifyIdentity(secret, junk), null);
  });
});
