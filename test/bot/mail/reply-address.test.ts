import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ReplyAddresses } from '../../../src/bot/mail/reply-address.js';

const SECRET = 'reply-secret-0123456789abcdef0123456789';
const session = (): string => randomBytes(16).toString('base64url');

describe("the Reply-To address of Tact's e-mails", () => {
  const addresses = new ReplyAddresses(SECRET, 'Chat@Reply.Shop.example');

  it('names one conversation, in lower case, and finds it again whatever case the mail system gives it', () => {
    const id = session();
    const address = addresses.for(id);
    assert.match(address, /^chat\+[0-9a-f]{52}@reply\.shop\.example$/);
    assert.equal(addresses.sessionOf(address), id);
    assert.equal(addresses.sessionOf(address.toUpperCase()), id);
  });

  it('finds nothing for an address it did not give out', () => {
    const address = addresses.for(session());
    const flip = (s: string, at: number): string => s.slice(0, at) + (s[at] === '0' ? '1' : '0') + s.slice(at + 1);
    const plus = address.indexOf('+') + 1;
    for (const forged of [flip(address, plus), flip(address, address.indexOf('@') - 1), address.replace('reply.shop.example', 'other.example'), address.replace('chat+', 'sales+'), 'chat@reply.shop.example', `${address}x`, '']) {
      assert.equal(addresses.sessionOf(forged), null, forged);
    }
    assert.equal(new ReplyAddresses('another-secret-0123456789abcdef012345', 'chat@reply.shop.example').sessionOf(address), null, "another server's secret");
  });
});
