import assert from 'node:assert/strict';
import { addressOf } from '../../../src/bot/core/address.js';
import { openPackaged } from '../../../src/kb/load.js';
import { referenceStandard } from '../../../src/kb/standard.js';

describe('addressOf', () => {
  const lib = referenceStandard(openPackaged).phrasing;

  it('addresses a customer by surname and title in Chinese and English', () => {
    assert.equal(addressOf(lib, { name: '张伟', title: 'mr' }, 'zh'), '张先生');
    assert.equal(addressOf(lib, { name: '陈丽', title: 'ms' }, 'zh'), '陈女士');
    assert.equal(addressOf(lib, { name: 'Chen Li', title: 'ms' }, 'en'), 'Ms Li');
    assert.equal(addressOf(lib, { name: '欧阳娜娜', title: 'ms' }, 'zh'), '欧阳女士');
  });

  it('keeps a name that already carries a title, and a name without a known title as given', () => {
    assert.equal(addressOf(lib, { name: '王先生', title: 'ms' }, 'zh'), '王先生');
    assert.equal(addressOf(lib, { name: 'Dr Smith' }, 'en'), 'Dr Smith');
    assert.equal(addressOf(lib, { name: '李明' }, 'zh'), '李明');
  });

  it('does not address by name when there is none, and strips markup and control characters', () => {
    assert.equal(addressOf(lib, {}, 'zh'), undefined);
    assert.equal(addressOf(lib, { name: '  \u0000 ' }, 'zh'), undefined);
    assert.equal(addressOf(lib, { name: '<b>Ann</b>\u202e' }, 'en'), 'bAnn/b');
    assert.equal((addressOf(lib, { name: 'x'.repeat(500) }, 'en') ?? '').length, 40);
  });
});
