import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunningServer } from '../../../src/bot/server.js';
import { testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs } from '../../helpers/temp-kb.js';

describe('the server shows its store on /healthz and /metrics', () => {
  let server: RunningServer | null = null;
  after(async () => {
    await server?.close();
    cleanTempDirs();
  });

  it('reports a quarantined conversation as degraded, with counts only, and keeps serving', async () => {
    const config = testConfig(resolve('knowledge-base'));
    mkdirSync(join(config.dataDir, 'conversations'), { recursive: true });
    writeFileSync(join(config.dataDir, 'conversations', 'broken.json'), '');
    server = await testServer(config);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; store: Record<string, unknown> };
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.store, { status: 'degraded', quarantined: 1, failedFolds: 0, problems: 1 });
    assert.ok(!JSON.stringify(health).includes('broken'), 'no conversation id on the open endpoint');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^tact_store_degraded 1$/m);
    assert.match(metrics, /^tact_store_quarantined_conversations 1$/m);
    assert.match(metrics, /^tact_store_failed_folds_total 0$/m);
  });
});
