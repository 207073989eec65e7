import assert from 'node:assert/strict';
import { estimateWait } from '../../../src/bot/core/wait-estimate.js';

const TEAM = { firstResponseSeconds: 60, resolutionSeconds: 24 * 3600, handlingSeconds: [] as number[] };

describe('estimating the wait in the queue', () => {
  it('uses the first-response time per customer ahead until the team has handled anything', () => {
    assert.equal(estimateWait({ ...TEAM, position: 1, agentsOnDuty: 1 }), 60);
    assert.equal(estimateWait({ ...TEAM, position: 3, agentsOnDuty: 1 }), 180);
  });

  it('shares the queue among the agents on duty', () => {
    assert.equal(estimateWait({ ...TEAM, position: 3, agentsOnDuty: 2 }), 120);
    assert.equal(estimateWait({ ...TEAM, position: 4, agentsOnDuty: 4 }), 60);
  });

  it('learns from the median of recent handling times, so one long case does not double everyone’s wait', () => {
    assert.equal(estimateWait({ ...TEAM, position: 2, agentsOnDuty: 1, handlingSeconds: [300, 240, 3600] }), 600);
    assert.equal(estimateWait({ ...TEAM, position: 1, agentsOnDuty: 1, handlingSeconds: [100, 200] }), 150);
  });

  it('never says less than a minute or more than the resolution time', () => {
    assert.equal(estimateWait({ ...TEAM, position: 1, agentsOnDuty: 1, handlingSeconds: [5] }), 60);
    assert.equal(estimateWait({ ...TEAM, resolutionSeconds: 3600, position: 50, agentsOnDuty: 1, handlingSeconds: [600] }), 3600);
  });

  it('treats no agents and a place below 1 as one', () => {
    assert.equal(estimateWait({ ...TEAM, position: 0, agentsOnDuty: 0 }), 60);
  });
});
