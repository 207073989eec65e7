import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deskMetrics, Metrics, storeMetrics } from '../../src/bot/channels/http/metrics.js';

const README = readFileSync(join(resolve(import.meta.dirname, '..', '..'), 'README.md'), 'utf8');

/** The README's "Running in production" section. */
function productionSection(): string {
  const start = README.indexOf('## Running in production');
  assert.ok(start >= 0, 'the README has the section');
  return README.slice(start, README.indexOf('\n## ', start + 1));
}

describe("the README's production guide", () => {
  it('alerts only on metrics /metrics really exports', () => {
    const exported = new Metrics().render() + storeMetrics({ status: 'ok', problems: [], quarantined: 0, failedFolds: 0 }) + deskMetrics({ waiting: 0, agentsOnDuty: 0 });
    const names = new Set([...exported.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    const named = new Set([...productionSection().matchAll(/\btact_[a-z_]+/g)].map((m) => m[0].replace(/_bucket$/, '')));
    assert.ok(named.size >= 8, [...named].join(', '));
    for (const name of named) assert.ok(names.has(name), `${name} is not exported (exported: ${[...names].join(', ')})`);
  });
});
