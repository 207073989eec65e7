import assert from 'node:assert/strict';
import { formatOpening, isOpen, nextOpening } from '../../../src/bot/core/service-hours.js';

const shanghai = { hours: '09:00-22:00', timezone: 'Asia/Shanghai', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };

describe('service hours', () => {
  it('is open on a working day inside the hours, in the service time zone', () => {
    assert.equal(isOpen(shanghai, new Date('2026-11-27T02:00:00Z')), true); // Fri 10:00 in Shanghai
    assert.equal(isOpen(shanghai, new Date('2026-11-27T14:30:00Z')), false); // Fri 22:30
    assert.equal(isOpen(shanghai, new Date('2026-11-26T00:59:00Z')), false); // Thu 08:59
  });

  it('promises the next opening, skipping closed days', () => {
    const friLate = new Date('2026-11-27T14:30:00Z');
    const next = nextOpening(shanghai, friLate);
    assert.equal(next?.toISOString(), '2026-11-30T01:00:00.000Z'); // Mon 09:00 in Shanghai
    assert.equal(formatOpening(shanghai, next as Date, 'en'), 'Mon 09:00');
    assert.match(formatOpening(shanghai, next as Date, 'zh'), /周一\s*09:00/);
  });

  it('answers now when open, and null for a service with no open days', () => {
    const now = new Date('2026-11-27T02:00:00Z');
    assert.equal(nextOpening(shanghai, now), now);
    assert.equal(nextOpening({ ...shanghai, days: [] }, now), null);
  });
});
